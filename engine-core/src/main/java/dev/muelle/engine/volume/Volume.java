package dev.muelle.engine.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonValue;

import java.util.Map;

/**
 * A volume as {@code docker volume inspect} shows it. {@code Options} are the local driver's
 * {@code type}/{@code device}/{@code o} (null when none were given, as dockerd shows);
 * {@code Labels} holds {@link #ANONYMOUS_LABEL} for volumes made from {@code -v /path} or an
 * image's VOLUME. Immutable: a volume's settings never change after create.
 */
public record Volume(String createdAt,
                     String driver,
                     Map<String, String> labels,
                     String mountpoint,
                     String name,
                     Map<String, String> options,
                     String scope) implements JsonValue {

    /** Docker 23+ marks anonymous volumes so prune can tell them apart. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

    public boolean anonymous() {
        return labels != null && labels.containsKey(ANONYMOUS_LABEL);
    }

    @Override
    public JsonNode toJson() {
        return fields(Json.object());
    }

    /** Adds the volume's fields to {@code o}, Docker's names in Docker's order (also /system/df's rows). */
    ObjectNode fields(ObjectNode o) {
        o.put("CreatedAt", createdAt).put("Driver", driver);
        o.set("Labels", Json.node(labels));
        o.put("Mountpoint", mountpoint).put("Name", name);
        o.set("Options", Json.node(options));
        return o.put("Scope", scope);
    }
}
