package dev.muelle.engine.api;

import dev.muelle.engine.container.ExecService;

import java.util.Map;

/** {@code /containers/{id}/exec} and {@code /exec/...}. */
final class ExecHandlers {

    private final ExecService execs;

    ExecHandlers(ExecService execs) {
        this.execs = execs;
    }

    @SuppressWarnings("checkstyle:MemberName")
    static final class StartBody {
        public Boolean Detach;
        public Boolean Tty;
        public java.util.List<Integer> ConsoleSize;
    }

    void register(Router r) {
        r.post("/containers/{id}/exec", (q, s) -> {
            ExecService.ExecConfig cfg = q.bodyJson(ExecService.ExecConfig.class);
            s.json(201, Map.of("Id", execs.create(q.param("id"), cfg)));
        });
        r.post("/exec/{id}/start", (q, s) -> {
            StartBody body = q.bodyJson(StartBody.class);
            boolean detach = body != null && Boolean.TRUE.equals(body.Detach);
            var exec = execs.start(q.param("id"), body == null ? null : body.Tty, body == null ? null : body.ConsoleSize);
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
