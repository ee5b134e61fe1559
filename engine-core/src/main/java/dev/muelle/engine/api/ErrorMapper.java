package dev.muelle.engine.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.muelle.engine.errors.EngineException;

/**
 * The one place where failures become HTTP statuses. Services throw {@link EngineException}s;
 * request parsing throws {@link ApiException} or Jackson's parse errors; anything else is a 500
 * whose message is kept short (the stack trace goes to the engine log, never to the client).
 */
final class ErrorMapper {

    record Mapped(int status, String message) {
    }

    private ErrorMapper() {
    }

    static Mapped map(Throwable t) {
        if (t instanceof EngineException e) {
            int status;
            if (e instanceof EngineException.NotFound) {
                status = 404;
            } else if (e instanceof EngineException.Conflict) {
                status = 409;
            } else if (e instanceof EngineException.InvalidParameter) {
                status = 400;
            } else if (e instanceof EngineException.NotModified) {
                status = 304;
            } else if (e instanceof EngineException.Forbidden) {
                status = 403;
            } else if (e instanceof EngineException.NotImplemented) {
                status = 501;
            } else {
                status = 500;
            }
            return new Mapped(status, e.getMessage());
        }
        if (t instanceof ApiException a) {
            return new Mapped(a.status, a.getMessage());
        }
        if (t instanceof JsonProcessingException j) {
            return new Mapped(400, goSyntaxError(j.getOriginalMessage()));
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new Mapped(500, msg);
    }

    /** Jackson's syntax errors in the words of Go's encoding/json, which Docker clients show. */
    static String goSyntaxError(String jackson) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Unexpected character \\('(.)'").matcher(jackson);
        String ch = m.find() ? m.group(1) : null;
        if (jackson.contains("end-of-input")) {
            return "unexpected end of JSON input";
        }
        if (ch != null && jackson.contains("double-quote to start field name")) {
            return "invalid character '" + ch + "' looking for beginning of object key string";
        }
        if (ch != null && jackson.contains("expected a valid value")) {
            return "invalid character '" + ch + "' looking for beginning of value";
        }
        if (ch != null && jackson.contains("was expecting comma")) {
            return "invalid character '" + ch + "' after object key:value pair";
        }
        if (ch != null && jackson.contains("was expecting a colon")) {
            return "invalid character '" + ch + "' after object key";
        }
        if (jackson.startsWith("Unrecognized token")) {
            java.util.regex.Matcher t = java.util.regex.Pattern.compile("token '(.)").matcher(jackson);
            return "invalid character '" + (t.find() ? t.group(1) : "?") + "' looking for beginning of value";
        }
        return "invalid JSON: " + jackson.split("\n")[0];
    }
}
