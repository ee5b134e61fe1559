package dev.muelle.engine.errors;

/**
 * The engine's one list of failures a client can cause or observe. Services throw these with
 * Docker's wording; {@code api.ErrorMapper} is the only place that turns them into HTTP status
 * codes ({@code {"message": ...}} bodies). Anything else escaping a service is a 500.
 *
 * <p>Messages follow dockerd's text, e.g. {@code No such container: abc},
 * {@code Conflict. The container name "/web" is already in use by container "…". You have to
 * remove (or rename) that container to be able to reuse that name.}
 */
public abstract sealed class EngineException extends RuntimeException {

    protected EngineException(String message) {
        super(message);
    }

    protected EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The named object does not exist (404). */
    public static final class NotFound extends EngineException {
        public NotFound(String message) { super(message); }

        public static NotFound container(String ref) { return new NotFound("No such container: " + ref); }

        public static NotFound image(String ref) { return new NotFound("No such image: " + ref); }

        public static NotFound exec(String id) { return new NotFound("No such exec instance: " + id); }
    }

    /** The request conflicts with the current state: name in use, container running (409). */
    public static final class Conflict extends EngineException {
        public Conflict(String message) { super(message); }
    }

    /** The request is malformed or names an impossible setting (400). */
    public static final class InvalidParameter extends EngineException {
        public InvalidParameter(String message) { super(message); }

        public InvalidParameter(String message, Throwable cause) { super(message, cause); }
    }

    /** Nothing to do: already started, already stopped (304, empty body). */
    public static final class NotModified extends EngineException {
        public NotModified(String message) { super(message); }
    }

    /** The operation is refused for this object: e.g. pausing with no freezer (403). */
    public static final class Forbidden extends EngineException {
        public Forbidden(String message) { super(message); }
    }

    /** The engine tried and failed: runc, conmon, the filesystem (500, message kept readable). */
    public static final class SystemError extends EngineException {
        public SystemError(String message) { super(message); }

        public SystemError(String message, Throwable cause) { super(message, cause); }
    }

    /** Not implemented yet by this engine (501). */
    public static final class NotImplemented extends EngineException {
        public NotImplemented(String message) { super(message); }
    }
}
