package dev.muelle.engine.system;

/** The engine's own version and the Docker API version range it serves. */
public final class EngineVersion {

    public static final String VERSION = "0.1.0";
    public static final String API_VERSION = "1.47";
    public static final String MIN_API_VERSION = "1.24";

    private EngineVersion() {
    }
}
