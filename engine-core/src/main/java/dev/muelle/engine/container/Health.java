package dev.muelle.engine.container;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;
import dev.muelle.engine.json.JsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * Docker's {@code State.Health}: the outcome of a container's HEALTHCHECK probes. Status is
 * starting, healthy or unhealthy; FailingStreak counts consecutive failed probes (those within the
 * start period excepted); Log holds the last {@link #MAX_LOG} results, oldest first.
 */
@SuppressWarnings("checkstyle:MemberName")
public final class Health implements JsonValue {
    public static final String STARTING = "starting";
    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";
    static final int MAX_LOG = 5;

    public String Status = STARTING;
    public int FailingStreak;
    public List<Result> Log = new ArrayList<>();

    /** One probe: when it ran, its exit code (-1 when it could not run or timed out) and its output. */
    public static final class Result {
        public String Start;
        public String End;
        public int ExitCode;
        public String Output;

        Result() {
        }

        Result(String start, String end, int exitCode, String output) {
            this.Start = start;
            this.End = end;
            this.ExitCode = exitCode;
            this.Output = output;
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("Status", Status);
        n.put("FailingStreak", FailingStreak);
        if (Log == null) {
            n.putNull("Log");
        } else {
            ArrayNode log = n.putArray("Log");
            for (Result r : Log) {
                if (r == null) {
                    log.addNull();
                    continue;
                }
                ObjectNode e = log.addObject();
                e.put("Start", r.Start);
                e.put("End", r.End);
                e.put("ExitCode", r.ExitCode);
                e.put("Output", r.Output);
            }
        }
        return n;
    }

    static Health fromJson(JsonRead r) {
        Health h = new Health();
        if (r.raw("Status") != null) {
            h.Status = r.string("Status");
        }
        h.FailingStreak = r.int32("FailingStreak", 0);
        if (r.raw("Log") != null) {
            h.Log = r.list("Log", e -> new Result(e.string("Start"), e.string("End"), e.int32("ExitCode", 0), e.string("Output")));
        }
        return h;
    }

    /** What {@code docker ps} appends to "Up 3 seconds": "health: starting", "healthy", "unhealthy". */
    String summary() {
        return STARTING.equals(Status) ? "health: starting" : Status;
    }
}
