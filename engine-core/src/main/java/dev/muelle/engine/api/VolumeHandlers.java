package dev.muelle.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.json.JsonRead;
import dev.muelle.engine.volume.VolumeService;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /volumes/...} (Docker's volume API) and the volume part of {@code /system/df}. */
final class VolumeHandlers {

    private final VolumeService volumes;

    VolumeHandlers(VolumeService volumes) {
        this.volumes = volumes;
    }

    void register(Router r) {
        r.get("/volumes", (q, s) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Volumes", volumes.list(q.filters()));
            body.put("Warnings", null);
            s.json(200, body);
        })
                .post("/volumes/create", this::create)
                // Before API 1.42 prune removed every unused volume; since, only anonymous ones without all=true.
                .post("/volumes/prune", (q, s) -> s.json(200, volumes.prune(q.filters(), !q.versionAtLeast("1.42"))))
                .get("/volumes/{name}", (q, s) -> s.json(200, volumes.get(q.param("name"))))
                .delete("/volumes/{name}", (q, s) -> {
                    volumes.remove(q.param("name"), q.queryBool("force", false));
                    s.status(204);
                });
    }

    private void create(ApiRequest q, ApiResponse s) throws IOException {
        JsonNode body = q.bodyJson();
        if (body != null && !body.isObject()) {
            throw new EngineException.InvalidParameter("invalid JSON body: expected an object");
        }
        JsonRead r = JsonRead.of(body, "VolumeCreateOptions");
        s.json(201, volumes.create(r.string("Name", ""), r.string("Driver", ""), r.stringMap("DriverOpts"), r.stringMap("Labels")));
    }
}
