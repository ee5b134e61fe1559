package dev.muelle.engine.api;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.image.ImageService;
import dev.muelle.engine.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /images/...} and {@code /auth}: local images, registry pull and push, login. */
final class ImageHandlers {

    private final ImageService images;

    ImageHandlers(ImageService images) {
        this.images = images;
    }

    void register(Router r) {
        r.get("/images/json", (q, s) -> s.json(200, images.list(q.queryBool("all", false), q.filters())))
                .postStreaming("/images/load", this::load)
                .postStreaming("/images/create", this::create)
                .post("/images/prune", (q, s) -> s.json(200, images.prune(q.filters())))
                .post("/auth", this::login)
                .post("/images/{name*}/push", this::push)
                .get("/images/get", (q, s) -> save(s, q.queryAll("names")))
                .get("/images/{name*}/get", (q, s) -> save(s, java.util.List.of(q.param("name"))))
                .get("/images/{name*}/json", (q, s) -> s.json(200, images.inspect(q.param("name"))))
                .get("/images/{name*}/history", (q, s) -> s.json(200, images.history(q.param("name"))))
                .post("/images/{name*}/tag", (q, s) -> {
                    images.tag(q.param("name"), q.query("repo"), q.query("tag"));
                    s.status(201);
                })
                .delete("/images/{name*}", (q, s) -> s.json(200,
                        images.remove(q.param("name"), q.queryBool("force", false), q.queryBool("noprune", false))));
    }

    /** docker save: the archive streams out as it is written. */
    private void save(ApiResponse s, List<String> refs) throws IOException {
        try (var tar = images.save(refs)) {
            OutputStream out = s.stream(200, "application/x-tar");
            tar.transferTo(out);
        }
    }

    /** docker load: the tar streams in; progress lines stream out as the CLI expects. */
    private void load(ApiRequest q, ApiResponse s) throws IOException {
        OutputStream out = s.stream(200, "application/json");
        try {
            boolean quiet = q.queryBool("quiet", false);
            List<String> loaded = images.load(q.body(), line -> {
                if (!quiet) {
                    writeLine(out, Map.of("stream", line + "\n"));
                }
            });
            for (String line : loaded) {
                writeLine(out, Map.of("stream", line + "\n"));
            }
        } catch (EngineException e) {
            writeLine(out, Map.of("errorDetail", Map.of("message", e.getMessage()), "error", e.getMessage()));
        }
    }

    /** fromImage pulls from a registry; fromSrc=- imports a rootfs tar from the body. */
    private void create(ApiRequest q, ApiResponse s) throws IOException {
        String fromSrc = q.query("fromSrc");
        if (fromSrc == null) {
            ProgressStream progress = new ProgressStream(s);
            streaming(progress, () -> images.pull(q.query("fromImage", ""), q.query("tag"), q.query("platform"),
                    RegistryAuthHeader.parse(q.header("X-Registry-Auth")), progress));
            return;
        }
        if (!fromSrc.equals("-")) {
            throw new EngineException.NotImplemented("importing from a URL is not supported; pipe the tar to docker import -");
        }
        OutputStream out = s.stream(200, "application/json");
        try {
            String id = images.importRootfs(q.body(), q.query("repo"), q.query("tag"), q.queryAll("changes"),
                    q.query("message"));
            writeLine(out, Map.of("status", id));
        } catch (EngineException e) {
            writeLine(out, Map.of("errorDetail", Map.of("message", e.getMessage()), "error", e.getMessage()));
        }
    }

    private void push(ApiRequest q, ApiResponse s) {
        ProgressStream progress = new ProgressStream(s);
        streaming(progress, () -> images.push(q.param("name"), q.query("tag"),
                RegistryAuthHeader.parse(q.header("X-Registry-Auth")), progress));
    }

    private void login(ApiRequest q, ApiResponse s) throws IOException {
        var auth = RegistryAuthHeader.fromJson(q.bodyJson());
        Map<String, String> body = new LinkedHashMap<>();
        body.put("IdentityToken", "");
        body.put("Status", images.login(auth));
        s.json(200, body);
    }

    /**
     * Runs a pull or push whose progress streams out: failures before the first message are
     * plain error responses, later ones go in-stream; a client that hung up ends it quietly
     * (the operation was aborted and left nothing half-written).
     */
    private static void streaming(ProgressStream progress, Runnable operation) {
        try {
            operation.run();
        } catch (java.io.UncheckedIOException clientGone) {
            // nothing to report to
        } catch (RuntimeException e) {
            String message = e instanceof EngineException ? e.getMessage() : ErrorMapper.map(e).message();
            if (!progress.error(message)) {
                throw e;
            }
        }
    }

    private static void writeLine(OutputStream out, Object o) {
        try {
            Json.writeLine(out, o);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
