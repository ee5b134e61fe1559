package dev.muelle.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.container.ContainerCommit;
import dev.muelle.engine.image.LayerDiffWriter;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST /commit}, {@code GET /containers/{id}/changes}, {@code GET /containers/{id}/export}. */
final class CommitHandlers {

    private final ContainerCommit commits;

    CommitHandlers(ContainerCommit commits) {
        this.commits = commits;
    }

    void register(Router r) {
        r.post("/commit", this::commit)
                .get("/containers/{id}/changes", this::changes)
                .get("/containers/{id}/export", (q, s) -> commits.export(q.param("id"),
                        s.stream(200, "application/x-tar")));
    }

    private void commit(ApiRequest q, ApiResponse s) throws IOException {
        JsonNode body = q.bodyJson();
        String id = commits.commit(new ContainerCommit.Request(q.query("container"), q.query("repo"), q.query("tag"),
                q.query("comment"), q.query("author"), q.queryBool("pause", true), q.queryAll("changes"), body));
        s.json(201, Map.of("Id", id));
    }

    /** dockerd answers null, not [], when nothing changed. */
    private void changes(ApiRequest q, ApiResponse s) throws IOException {
        List<LayerDiffWriter.Change> changes = commits.changes(q.param("id"));
        List<Map<String, Object>> body = changes.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Path", c.path());
            m.put("Kind", c.kind().ordinal());
            return m;
        }).toList();
        s.json(200, body.isEmpty() ? null : body);
    }
}
