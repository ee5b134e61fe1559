package dev.muelle.desktop.engine;

import java.util.Map;

/**
 * One message of the engine's {@code /events} stream.
 *
 * @param type "container", "image", "volume", "network", ...
 * @param action "start", "die", "destroy", "pull", "exec_start: sh", ...
 * @param actorId the object the event is about (container ID, image name, ...)
 */
public record EngineEvent(String type, String action, String actorId, Map<String, String> attributes) {

    public EngineEvent {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** Exec and health events fire often and change nothing a list shows. */
    public boolean changesLists() {
        return !(action.startsWith("exec_") || action.startsWith("health_status") || action.equals("top")
                || action.equals("attach") || action.equals("resize") || action.equals("archive-path")
                || action.equals("extract-to-dir"));
    }
}
