package dev.muelle.engine.image.registry;

import java.util.List;

/**
 * A registry operation that failed, with the message already in dockerd's words (e.g.
 * {@code manifest unknown: manifest unknown}, {@code Get "http://h/v2/": dial tcp h: connect:
 * connection refused}). {@code status} is the HTTP status, or 0 when no response came;
 * {@code codes} are the registry's error codes ({@code MANIFEST_UNKNOWN}, {@code UNAUTHORIZED}…).
 * The image service turns it into an {@code EngineException}.
 */
public final class RegistryException extends RuntimeException {

    private final int status;
    private final List<String> codes;

    public RegistryException(int status, List<String> codes, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.codes = List.copyOf(codes);
    }

    public RegistryException(int status, List<String> codes, String message) {
        this(status, codes, message, null);
    }

    public int status() {
        return status;
    }

    public List<String> codes() {
        return codes;
    }

    /** No response at all (refused, reset, TLS failure, timeout). */
    public boolean unreachable() {
        return status == 0;
    }

    public boolean unauthorized() {
        return status == 401 || codes.contains("UNAUTHORIZED");
    }

    public boolean notFound() {
        return status == 404 || codes.contains("MANIFEST_UNKNOWN") || codes.contains("NAME_UNKNOWN")
                || codes.contains("BLOB_UNKNOWN");
    }

    /** Worth trying again: no response, or a 429/5xx a busy registry sends. */
    public boolean transientFailure() {
        return status == 0 || status == 429 || status == 502 || status == 503 || status == 504;
    }
}
