package dev.muelle.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonValue;

import java.util.List;
import java.util.Map;

/** One row of {@code GET /images/json}, field for field Docker's ImageSummary. */
public record ImageSummary(
        String id,
        String parentId,
        List<String> repoTags,
        List<String> repoDigests,
        long created,
        long size,
        long sharedSize,
        long virtualSize,
        Map<String, String> labels,
        long containers) implements JsonValue {

    @Override
    public JsonNode toJson() {
        ObjectNode o = Json.object();
        o.put("Id", id);
        o.put("ParentId", parentId);
        o.set("RepoTags", Json.node(repoTags));
        o.set("RepoDigests", Json.node(repoDigests));
        o.put("Created", created);
        o.put("Size", size);
        o.put("SharedSize", sharedSize);
        o.put("VirtualSize", virtualSize);
        o.set("Labels", Json.node(labels));
        o.put("Containers", containers);
        return o;
    }
}
