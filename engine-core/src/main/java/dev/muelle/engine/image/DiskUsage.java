package dev.muelle.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonValue;

import java.util.List;

/**
 * The images part of {@code GET /system/df}: every layer counted once in {@code layersSize};
 * per image, {@code SharedSize} is what it shares with other images and {@code Containers} how
 * many containers use it.
 */
public record DiskUsage(long layersSize, List<ImageSummary> images) implements JsonValue {

    @Override
    public JsonNode toJson() {
        ObjectNode o = Json.object();
        o.put("LayersSize", layersSize);
        o.set("Images", Json.node(images));
        return o;
    }
}
