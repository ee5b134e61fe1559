package dev.muelle.desktop.engine;

/**
 * An engine call that failed, with a message in plain words for the user (the engine's own
 * message without HTTP framing or JSON).
 *
 * <p>The subtypes say what the user can do about it: {@link Unreachable} (start or pick an
 * engine), {@link NotFound} (the object is gone, refresh), {@link Conflict} (the object is in the
 * wrong state or the name is taken), {@link Invalid} (fix the input), {@link Failed} (the engine
 * tried and failed).
 */
public class EngineException extends RuntimeException {

    protected EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    public static final class Unreachable extends EngineException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final class NotFound extends EngineException {
        public NotFound(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final class Conflict extends EngineException {
        public Conflict(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final class Invalid extends EngineException {
        public Invalid(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final class Failed extends EngineException {
        public Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
