package dev.muelle.desktop.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The strategies the desktop tries, in order: a socket chosen in Settings, {@code DOCKER_HOST},
 * Muelle's own socket, then the docker CLI's current context.
 */
public final class EngineStrategies {

    /** Where {@code ./muelle up} puts the engine's socket unless {@code MUELLE_HOST} says otherwise. */
    public static final String MUELLE_SOCKET = "unix:///run/muelle/muelle.sock";

    private EngineStrategies() {
    }

    /** The ranked list for this process's environment and home directory. */
    public static List<EngineStrategy> standard(String configured, Map<String, String> env, Path home) {
        return List.of(configured(configured), dockerHost(env), muelleSocket(env), dockerContext(env, home));
    }

    /** The socket the user picked in Settings; applies only when one was picked. */
    public static EngineStrategy configured(String endpoint) {
        return new Strategy("the socket chosen in Settings", blankToEmpty(endpoint),
                c -> "Nothing answers on " + c + ". Pick another socket in Settings, or clear the field to search again.");
    }

    public static EngineStrategy dockerHost(Map<String, String> env) {
        return new Strategy("DOCKER_HOST", blankToEmpty(env.get("DOCKER_HOST")),
                c -> "DOCKER_HOST is set to " + c + " but nothing answers there. Start that engine, or unset DOCKER_HOST.");
    }

    public static EngineStrategy muelleSocket(Map<String, String> env) {
        String host = env.getOrDefault("MUELLE_HOST", MUELLE_SOCKET);
        return new Strategy("Muelle's socket", Optional.of(host),
                c -> "Muelle's engine is not running on " + c + ". Press Start engine, or run ./muelle up.");
    }

    /**
     * The docker CLI's current context ({@code DOCKER_CONTEXT}, else {@code currentContext} in
     * {@code ~/.docker/config.json}); the "default" context means dockerd's socket.
     */
    public static EngineStrategy dockerContext(Map<String, String> env, Path home) {
        return new Strategy("the current docker context", contextEndpoint(env, home),
                c -> "The docker context points at " + c + " but nothing answers there. "
                        + "Start that engine, or switch context with `docker context use`.");
    }

    static Optional<String> contextEndpoint(Map<String, String> env, Path home) {
        Path dockerDir = env.containsKey("DOCKER_CONFIG") ? Path.of(env.get("DOCKER_CONFIG")) : home.resolve(".docker");
        ObjectMapper json = new ObjectMapper();
        String context = env.get("DOCKER_CONTEXT");
        try {
            if (context == null && Files.isRegularFile(dockerDir.resolve("config.json"))) {
                context = json.readTree(dockerDir.resolve("config.json").toFile()).path("currentContext").asText(null);
            }
            if (context == null || context.isBlank() || context.equals("default")) {
                return Optional.of("unix:///var/run/docker.sock");
            }
            // The CLI stores a context's metadata under the SHA-256 of its name.
            Path meta = dockerDir.resolve("contexts/meta").resolve(sha256(context)).resolve("meta.json");
            if (!Files.isRegularFile(meta)) {
                return Optional.empty();
            }
            JsonNode host = json.readTree(meta.toFile()).path("Endpoints").path("docker").path("Host");
            return host.isTextual() ? Optional.of(host.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Optional<String> blankToEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    private record Strategy(String name, Optional<String> candidate, java.util.function.Function<String, String> fix)
            implements EngineStrategy {
        @Override
        public String howToFix(String candidate) {
            return fix.apply(candidate);
        }
    }
}
