package dev.muelle.desktop.engine;

import java.util.List;
import java.util.Map;

/**
 * One row of {@code GET /containers/json?all=1}: what the containers table shows.
 *
 * @param state Docker's one-word state: created, running, paused, restarting, exited, dead
 * @param status Docker's human status with uptime, e.g. "Up 5 minutes" or "Exited (0) 2 hours ago"
 */
public record ContainerSummary(String id, String name, String image, String imageId, String state, String status,
                               long createdEpochSeconds, List<PublishedPort> ports,
                               Map<String, String> labels) {

    /** The label docker compose puts on every container of a project. */
    public static final String COMPOSE_PROJECT_LABEL = "com.docker.compose.project";

    public ContainerSummary {
        ports = List.copyOf(ports);
        labels = Map.copyOf(labels);
    }

    public boolean running() {
        return "running".equals(state);
    }

    public boolean paused() {
        return "paused".equals(state);
    }

    /** The compose project this container belongs to, or null when it was not started by compose. */
    public String composeProject() {
        return labels.get(COMPOSE_PROJECT_LABEL);
    }

    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
