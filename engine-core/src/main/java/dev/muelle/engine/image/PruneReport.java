package dev.muelle.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonValue;

import java.util.List;
import java.util.Map;

/** {@code POST /images/prune}'s answer: the untag/delete records and the bytes of layers removed. */
public record PruneReport(List<Map<String, String>> imagesDeleted, long spaceReclaimed) implements JsonValue {

    @Override
    public JsonNode toJson() {
        ObjectNode o = Json.object();
        o.set("ImagesDeleted", Json.node(imagesDeleted));
        o.put("SpaceReclaimed", spaceReclaimed);
        return o;
    }
}
