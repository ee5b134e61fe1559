package dev.muelle.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.build.BuildContext;
import dev.muelle.engine.build.BuildOptions;
import dev.muelle.engine.build.BuildOutput;
import dev.muelle.engine.build.Builder;
import dev.muelle.engine.build.Dockerfile;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.image.ImageReference;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /build} (the classic builder: the body is the context tar, the answer a stream of
 * JSON messages) and {@code POST /build/prune}. A bad Dockerfile or parameter is answered with
 * 400 before the stream starts, as dockerd does; failures during steps end the stream with an
 * {@code errorDetail} message.
 */
final class BuildHandlers {

    private final Builder builder;

    BuildHandlers(Builder builder) {
        this.builder = builder;
    }

    void register(Router r) {
        r.postStreaming("/build", this::build)
                .post("/build/prune", (q, s) -> {
                    int n = builder.prune();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("CachesDeleted", n == 0 ? null : List.of());
                    body.put("SpaceReclaimed", 0);
                    s.json(200, body);
                });
    }

    private void build(ApiRequest q, ApiResponse s) throws IOException {
        String remote = q.query("remote");
        if (remote != null && !remote.isEmpty()) {
            throw new EngineException.InvalidParameter("remote build contexts (" + remote
                    + ") are not supported: send the context as a tar");
        }
        List<String> tags = q.queryAll("t");
        tags.forEach(ImageReference::parse); // "invalid reference format" before any work
        BuildOptions opts = new BuildOptions(q.query("dockerfile"), tags, jsonMap(q.query("buildargs")),
                jsonMap(q.query("labels")), q.query("target"), q.queryBool("nocache", false), q.queryBool("pull", false),
                q.query("networkmode"), q.queryBool("q", false), q.queryBool("rm", true), q.queryBool("forcerm", false));
        try (BuildContext ctx = builder.context(q.body())) {
            Dockerfile df = builder.dockerfile(ctx, opts.dockerfile());
            OutputStream out = s.stream(200, "application/json");
            builder.build(df, ctx, opts, new BuildOutput() {
                @Override
                public void stream(String text) {
                    write(out, Map.of("stream", text));
                }

                @Override
                public void aux(String imageId) {
                    write(out, Map.of("aux", Map.of("ID", imageId)));
                }

                @Override
                public void error(String message, int code) {
                    Map<String, Object> detail = new LinkedHashMap<>();
                    if (code != 0) {
                        detail.put("code", code);
                    }
                    detail.put("message", message);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("errorDetail", detail);
                    body.put("error", message);
                    write(out, body);
                }
            }, q.clientGone());
        }
    }

    private static Map<String, String> jsonMap(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            JsonNode n = Json.parse(json);
            if (n.isNull()) {
                return Map.of();
            }
            if (!n.isObject()) {
                throw new EngineException.InvalidParameter("invalid JSON in build parameters: " + json);
            }
            return JsonRead.stringMap(n, "buildargs");
        } catch (IOException e) {
            throw new EngineException.InvalidParameter("invalid JSON in build parameters: " + json);
        }
    }

    private static void write(OutputStream out, Object message) {
        try {
            Json.writeLine(out, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
