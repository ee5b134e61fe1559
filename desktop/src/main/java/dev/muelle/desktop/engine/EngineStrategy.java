package dev.muelle.desktop.engine;

import java.util.Optional;

/**
 * One way of finding an engine, in the spirit of Testcontainers' {@code DockerClientProviderStrategy}:
 * each strategy says whether it applies on this machine (it has a candidate endpoint) and, when its
 * candidate does not answer, how the user can fix that.
 */
public interface EngineStrategy {

    /** Short name for messages, e.g. "DOCKER_HOST". */
    String name();

    /** The endpoint this strategy would use, or empty when it does not apply here. */
    Optional<String> candidate();

    /** What the user can do when the candidate does not answer. */
    String howToFix(String candidate);
}
