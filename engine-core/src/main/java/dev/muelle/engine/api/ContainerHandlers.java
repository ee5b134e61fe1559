package dev.muelle.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.container.Container;
import dev.muelle.engine.container.ContainerConfig;
import dev.muelle.engine.container.ContainerIO;
import dev.muelle.engine.container.ContainerService;
import dev.muelle.engine.container.ContainerViews;
import dev.muelle.engine.container.HostConfig;
import dev.muelle.engine.container.logs.LogOptions;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code /containers/...}: each handler reads the request, calls the service, writes the answer. */
final class ContainerHandlers {

    private final ContainerService containers;
    private final ContainerIO io;

    ContainerHandlers(ContainerService containers, ContainerIO io) {
        this.containers = containers;
        this.io = io;
    }

    void register(Router r) {
        r.get("/containers/json", this::list)
                .post("/containers/create", this::create)
                .post("/containers/prune", this::prune)
                .get("/containers/{id}/json", this::inspect)
                .get("/containers/{id}/top", this::top)
                .get("/containers/{id}/logs", this::logs)
                .get("/containers/{id}/stats", this::stats)
                .post("/containers/{id}/start", (q, s) -> { containers.start(q.param("id")); s.status(204); })
                .post("/containers/{id}/stop", (q, s) -> {
                    containers.stop(q.param("id"), timeout(q), q.query("signal"));
                    s.status(204);
                })
                .post("/containers/{id}/restart", (q, s) -> {
                    containers.restart(q.param("id"), timeout(q), q.query("signal"));
                    s.status(204);
                })
                .post("/containers/{id}/kill", (q, s) -> { containers.kill(q.param("id"), q.query("signal")); s.status(204); })
                .post("/containers/{id}/pause", (q, s) -> { containers.pause(q.param("id")); s.status(204); })
                .post("/containers/{id}/unpause", (q, s) -> { containers.unpause(q.param("id")); s.status(204); })
                .post("/containers/{id}/rename", (q, s) -> { containers.rename(q.param("id"), q.query("name")); s.status(204); })
                .post("/containers/{id}/update", this::update)
                .post("/containers/{id}/resize", this::resize)
                .post("/containers/{id}/attach", this::attach)
                .post("/containers/{id}/wait", this::await)
                .delete("/containers/{id}", (q, s) -> {
                    containers.remove(q.param("id"), q.queryBool("force", false), q.queryBool("v", false));
                    s.status(204);
                });
    }

    private static Integer timeout(ApiRequest q) {
        String t = q.query("t");
        if (t == null || t.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidParameter("invalid value for t: " + t);
        }
    }

    private void list(ApiRequest q, ApiResponse s) throws IOException {
        List<Container> cs = containers.list(q.queryBool("all", false), (int) q.queryLong("limit", -1), q.filters());
        s.json(200, ContainerViews.list(cs, containers, q.queryBool("size", false)));
    }

    private void create(ApiRequest q, ApiResponse s) throws IOException {
        JsonNode body = q.bodyJson();
        if (body == null || !body.isObject()) {
            throw new EngineException.InvalidParameter("config cannot be empty in order to create a container");
        }
        ObjectNode obj = (ObjectNode) body;
        JsonNode hostNode = obj.remove("HostConfig");
        JsonNode networking = obj.remove("NetworkingConfig");
        ContainerConfig cfg = ContainerConfig.fromJson(JsonRead.of(obj, "ContainerConfig"));
        HostConfig hc = HostConfig.fromJson(JsonRead.of(hostNode, "HostConfig"));
        ContainerService.Created created = containers.create(q.query("name"), cfg, hc,
                NetworkHandlers.endpointsConfig(networking));
        s.json(201, Map.of("Id", created.id(), "Warnings", created.warnings()));
    }

    /** {@code docker update}: the body is a HostConfig's resources plus RestartPolicy. */
    private void update(ApiRequest q, ApiResponse s) throws IOException {
        HostConfig req = HostConfig.fromJson(JsonRead.of(q.bodyJson(), "UpdateConfig"));
        List<String> warnings = containers.update(q.param("id"), req);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Warnings", warnings.isEmpty() ? null : warnings);
        s.json(200, answer);
    }

    private void inspect(ApiRequest q, ApiResponse s) throws IOException {
        Container c = containers.get(q.param("id"));
        s.json(200, ContainerViews.inspect(c, containers, q.queryBool("size", false)));
    }

    private void top(ApiRequest q, ApiResponse s) throws Exception {
        s.json(200, io.top(q.param("id"), q.query("ps_args")));
    }

    private void logs(ApiRequest q, ApiResponse s) throws IOException {
        LogOptions o = new LogOptions(q.queryBool("stdout", false), q.queryBool("stderr", false),
                q.queryBool("follow", false), tail(q.query("tail")), q.queryTimeNanos("since", 0),
                q.queryTimeNanos("until", 0), q.queryBool("timestamps", false));
        Container c = io.prepareLogs(q.param("id"), o);
        boolean tty = c.Config.Tty != null && c.Config.Tty;
        OutputStream out = s.stream(200, tty ? "application/vnd.docker.raw-stream"
                : "application/vnd.docker.multiplexed-stream");
        try {
            io.writeLogs(c, o, out, tty);
        } catch (IOException clientGone) {
            // the client stopped following
        }
    }

    private static int tail(String v) {
        if (v == null || v.isEmpty() || v.equals("all")) {
            return -1;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidParameter("invalid value for tail: " + v);
        }
    }

    private void stats(ApiRequest q, ApiResponse s) throws Exception {
        containers.get(q.param("id"));
        boolean stream = q.queryBool("stream", true);
        OutputStream out = s.stream(200, "application/json");
        try {
            io.stats(q.param("id"), stream, q.queryBool("one-shot", false), out, q::clientConnected);
        } catch (IOException clientGone) {
            // stopped watching
        }
    }

    private void resize(ApiRequest q, ApiResponse s) {
        containers.resize(q.param("id"), (int) q.queryLong("h", 0), (int) q.queryLong("w", 0));
        s.status(200);
    }

    private void attach(ApiRequest q, ApiResponse s) throws IOException {
        ContainerIO.AttachRequest r = new ContainerIO.AttachRequest(q.queryBool("stream", false),
                q.queryBool("stdin", false), q.queryBool("stdout", false), q.queryBool("stderr", false),
                q.queryBool("logs", false), q.query("detachKeys"));
        ContainerIO.AttachSession session = io.openAttach(q.param("id"), r);
        Container c = session.container();
        Hijacked h = s.hijack(Streams.rawStreamType(c.Config.Tty != null && c.Config.Tty));
        session.run(Streams.of(h));
    }

    /** Headers go out as soon as the wait is registered: the CLI starts the container only then. */
    private void await(ApiRequest q, ApiResponse s) throws Exception {
        CompletableFuture<Integer> f = containers.waitFor(q.param("id"), q.query("condition"));
        OutputStream out = s.stream(200, "application/json");
        Integer code = null;
        while (code == null) {
            try {
                code = f.get(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (!q.clientConnected()) {
                    return;
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("StatusCode", code);
        body.put("Error", null);
        Json.writeLine(out, body);
    }

    private void prune(ApiRequest q, ApiResponse s) throws IOException {
        ContainerService.Pruned p = containers.prune(q.filters());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ContainersDeleted", p.deleted().isEmpty() ? null : p.deleted());
        body.put("SpaceReclaimed", p.spaceReclaimed());
        s.json(200, body);
    }
}
