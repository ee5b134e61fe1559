package dev.muelle.engine.container;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;
import dev.muelle.engine.json.JsonValue;

/**
 * Docker's {@code ContainerState}. Status is one of created, running, paused, restarting,
 * removing, exited, dead. Times are RFC 3339 with nanoseconds; Docker's zero time is
 * {@code 0001-01-01T00:00:00Z}.
 */
@SuppressWarnings("checkstyle:MemberName")
public final class ContainerState implements JsonValue {
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    public String Status = "created";
    public boolean Running;
    public boolean Paused;
    public boolean Restarting;
    public boolean OOMKilled;
    public boolean Dead;
    public int Pid;
    public int ExitCode;
    public String Error = "";
    public String StartedAt = ZERO_TIME;
    public String FinishedAt = ZERO_TIME;
    /** Present once a container with a healthcheck has started; absent (not null) otherwise, as in Docker. */
    public Health Health;

    @Override
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("Status", Status);
        n.put("Running", Running);
        n.put("Paused", Paused);
        n.put("Restarting", Restarting);
        n.put("OOMKilled", OOMKilled);
        n.put("Dead", Dead);
        n.put("Pid", Pid);
        n.put("ExitCode", ExitCode);
        n.put("Error", Error);
        n.put("StartedAt", StartedAt);
        n.put("FinishedAt", FinishedAt);
        if (Health != null) {
            n.set("Health", Health.toJson());
        }
        return n;
    }

    static ContainerState fromJson(JsonRead r) {
        ContainerState s = new ContainerState();
        if (r.raw("Status") != null) {
            s.Status = r.string("Status");
        }
        s.Running = r.bool("Running", false);
        s.Paused = r.bool("Paused", false);
        s.Restarting = r.bool("Restarting", false);
        s.OOMKilled = r.bool("OOMKilled", false);
        s.Dead = r.bool("Dead", false);
        s.Pid = r.int32("Pid", 0);
        s.ExitCode = r.int32("ExitCode", 0);
        if (r.raw("Error") != null) {
            s.Error = r.string("Error");
        }
        if (r.raw("StartedAt") != null) {
            s.StartedAt = r.string("StartedAt");
        }
        if (r.raw("FinishedAt") != null) {
            s.FinishedAt = r.string("FinishedAt");
        }
        JsonRead h = r.struct("Health");
        s.Health = h == null ? null : dev.muelle.engine.container.Health.fromJson(h);
        return s;
    }
}
