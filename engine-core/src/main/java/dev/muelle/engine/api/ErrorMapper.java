package dev.muelle.engine.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.muelle.engine.errors.EngineException;

/**
 * The one place where failures become HTTP statuses. Services throw {@link EngineException}s;
 * request parsing throws {@link ApiException} or Jackson's exceptions; anything else is a 500
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
        if (t instanceof MismatchedInputException m) {
            return new Mapped(400, describeMismatch(m));
        }
        if (t instanceof JsonProcessingException j) {
            return new Mapped(400, goSyntaxError(j.getOriginalMessage()));
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new Mapped(500, msg);
    }

    /** Mirrors Go's "json: cannot unmarshal string into Go struct field ..." so users recognise it. */
    private static String describeMismatch(MismatchedInputException m) {
        StringBuilder path = new StringBuilder();
        for (var ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            }
        }
        String target = m.getTargetType() == null ? "value" : goType(m.getTargetType());
        String got = m instanceof InvalidFormatException f && f.getValue() != null
                ? f.getValue().getClass().getSimpleName().toLowerCase()
                : "value";
        if (m instanceof InvalidFormatException && "string".equals(got)) {
            return "json: cannot unmarshal string into Go struct field " + path + " of type " + target;
        }
        return "json: cannot unmarshal " + got + " into Go struct field " + path + " of type " + target
                + " (" + m.getOriginalMessage().split("\n")[0] + ")";
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

    /** Go's name for the type a JSON field should have had, as encoding/json words it. */
    static String goType(Class<?> c) {
        if (c == null) return "unknown";
        if (c == Long.class || c == long.class) return "int64";
        if (c == Integer.class || c == int.class) return "int";
        if (c == Boolean.class || c == boolean.class) return "bool";
        if (c == String.class) return "string";
        if (java.util.List.class.isAssignableFrom(c)) return "[]string";
        if (java.util.Map.class.isAssignableFrom(c)) return "map[string]string";
        return c.getSimpleName();
    }
}
