package dev.muelle.engine.events;

import java.util.Map;

/**
 * Something that happened to an engine object, as {@code GET /events} reports it.
 *
 * @param type       container, image, volume, network, daemon
 * @param action     create, start, die, destroy, pull, tag, ...
 * @param id         the object's ID (or name for images, as Docker does)
 * @param attributes Actor.Attributes: name, image, exitCode, labels ...
 * @param timeNano   wall-clock time in nanoseconds since the epoch
 */
public record Event(String type, String action, String id, Map<String, String> attributes, long timeNano) {
}
