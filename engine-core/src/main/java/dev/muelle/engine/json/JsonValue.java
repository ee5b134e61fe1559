package dev.muelle.engine.json;

import com.fasterxml.jackson.databind.JsonNode;

/** A type that writes itself as JSON, with Docker's field names, in the order Docker shows them. */
public interface JsonValue {
    JsonNode toJson();
}
