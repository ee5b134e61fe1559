package dev.muelle.desktop.engine;

/**
 * What the footer shows about the engine, from {@code /version} and {@code /info}.
 *
 * @param name the engine's product name ("Muelle Engine", "Docker Engine - Community", ...)
 * @param cpus the host's CPUs as the engine sees them
 * @param memoryTotal the host's memory in bytes
 */
public record EngineInfo(String name, String version, String apiVersion, int cpus, long memoryTotal,
                         int containers, int containersRunning, int images) {
}
