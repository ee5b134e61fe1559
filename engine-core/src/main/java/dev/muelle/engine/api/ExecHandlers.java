package dev.muelle.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.container.ExecService;
import dev.muelle.engine.json.JsonRead;

import java.util.Map;

/** {@code /containers/{id}/exec} and {@code /exec/...}. */
final class ExecHandlers {

    private final ExecService execs;

    ExecHandlers(ExecService execs) {
        this.execs = execs;
    }

    void register(Router r) {
        r.post("/containers/{id}/exec", (q, s) -> {
            JsonNode body = q.bodyJson();
            ExecService.ExecConfig cfg = body == null ? null : ExecService.ExecConfig.fromJson(JsonRead.of(body, "ExecConfig"));
            s.json(201, Map.of("Id", execs.create(q.param("id"), cfg)));
        });
        r.post("/exec/{id}/start", (q, s) -> {
            JsonRead body = JsonRead.of(q.bodyJson(), "ExecStartConfig");
            boolean detach = body.bool("Detach", false);
            var exec = execs.start(q.param("id"), body.bool("Tty"), body.ints("ConsoleSize"));
            if (detach) {
                execs.runDetached(exec);
                s.status(200);
                return;
            }
            Hijacked h = s.hijack(Streams.rawStreamType(exec.tty()));
            execs.pump(exec, Streams.of(h));
        });
        r.post("/exec/{id}/resize", (q, s) -> {
            execs.resize(q.param("id"), (int) q.queryLong("h", 0), (int) q.queryLong("w", 0));
            s.status(200);
        });
        r.get("/exec/{id}/json", (q, s) -> s.json(200, execs.inspect(q.param("id"))));
    }
}
