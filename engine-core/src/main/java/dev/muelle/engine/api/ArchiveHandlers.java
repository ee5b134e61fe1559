package dev.muelle.engine.api;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.volume.ContainerArchive;

import java.io.OutputStream;

/**
 * {@code /containers/{id}/archive} ({@code docker cp}): HEAD stats a path, GET streams it as a
 * tar, PUT unpacks a tar into a directory. The path's stat travels in the
 * {@code X-Docker-Container-Path-Stat} header, base64 JSON, as the docker CLI expects.
 */
final class ArchiveHandlers {

    private static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

    private final ContainerArchive archive;

    ArchiveHandlers(ContainerArchive archive) {
        this.archive = archive;
    }

    void register(Router r) {
        r.head("/containers/{id}/archive", (q, s) -> {
            s.header(STAT_HEADER, archive.stat(q.param("id"), path(q)).header());
            s.status(200);
        })
                .get("/containers/{id}/archive", (q, s) -> {
                    String id = q.param("id");
                    s.header(STAT_HEADER, archive.stat(id, path(q)).header());
                    OutputStream out = s.stream(200, "application/x-tar");
                    try {
                        archive.write(id, path(q), out);
                    } catch (java.io.IOException clientGone) {
                        // the CLI hangs up once it has read the tar's end, before our block padding
                    }
                })
                .putStreaming("/containers/{id}/archive", (q, s) -> {
                    archive.extract(q.param("id"), path(q), q.body(), q.queryBool("noOverwriteDirNonDir", false),
                            q.queryBool("copyUIDGID", false));
                    s.status(200);
                });
    }

    private static String path(ApiRequest q) {
        String p = q.query("path");
        if (p == null || p.isEmpty()) {
            throw new EngineException.InvalidParameter("path cannot be empty");
        }
        return p;
    }
}
