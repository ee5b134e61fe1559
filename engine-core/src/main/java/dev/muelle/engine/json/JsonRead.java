package dev.muelle.engine.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the fields of one JSON object (a Docker struct sent by a client, or a stored record) into
 * Java values. As lenient as the engine's clients need: a single string where a list of strings
 * is expected (Docker's StrSlice), an empty string for an absent struct, numbers and booleans
 * given as strings, a number where a string is expected. A value of the wrong kind fails with Go's
 * wording, naming the field's path: {@code json: cannot unmarshal string into Go struct field
 * HostConfig.Memory of type int64} (400).
 */
public final class JsonRead {

    private final JsonNode node;
    private final String path;

    private JsonRead(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** {@code node} is the struct named {@code struct}; null, missing, JSON null or "" read as empty. */
    public static JsonRead of(JsonNode node, String struct) {
        if (node != null && !node.isObject() && !absent(node)) {
            throw mismatch(node, struct, struct);
        }
        return new JsonRead(node, struct);
    }

    /** True when the struct itself was absent, null or "". */
    public boolean isEmpty() {
        return node == null || !node.isObject();
    }

    public boolean has(String field) {
        return !absent(get(field));
    }

    /** The field's raw node (null when absent). */
    public JsonNode raw(String field) {
        JsonNode v = get(field);
        return v == null || v.isMissingNode() ? null : v;
    }

    /** A nested struct; null when absent, null or "". */
    public JsonRead struct(String field) {
        JsonNode v = get(field);
        if (absent(v)) {
            return null;
        }
        if (!v.isObject()) {
            throw mismatch(v, path + "." + field, field);
        }
        return new JsonRead(v, path + "." + field);
    }

    public String string(String field) {
        JsonNode v = get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        throw mismatch(v, path + "." + field, "string");
    }

    public String string(String field, String otherwise) {
        String s = string(field);
        return s == null ? otherwise : s;
    }

    public Boolean bool(String field) {
        JsonNode v = get(field);
        if (absent(v)) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.textValue().equals("true") || v.textValue().equals("false"))) {
            return Boolean.valueOf(v.textValue());
        }
        if (v.isIntegralNumber()) {
            return v.longValue() != 0;
        }
        throw mismatch(v, path + "." + field, "bool");
    }

    public boolean bool(String field, boolean otherwise) {
        Boolean b = bool(field);
        return b == null ? otherwise : b;
    }

    public Long int64(String field) {
        JsonNode v = get(field);
        return absent(v) ? null : toLong(v, path + "." + field, "int64");
    }

    public long int64(String field, long otherwise) {
        Long l = int64(field);
        return l == null ? otherwise : l;
    }

    public Integer int32(String field) {
        JsonNode v = get(field);
        if (absent(v)) {
            return null;
        }
        long l = toLong(v, path + "." + field, "int");
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw mismatch(v, path + "." + field, "int");
        }
        return (int) l;
    }

    public int int32(String field, int otherwise) {
        Integer i = int32(field);
        return i == null ? otherwise : i;
    }

    /** A list of strings; a single string is a list of one (Docker's StrSlice). */
    public List<String> strings(String field) {
        JsonNode v = get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (e.isNull()) {
                    out.add(null);
                } else if (e.isValueNode()) {
                    out.add(e.asText());
                } else {
                    throw mismatch(e, path + "." + field, "string");
                }
            }
            return out;
        }
        if (v.isValueNode()) {
            out.add(v.asText());
            return out;
        }
        throw mismatch(v, path + "." + field, "[]string");
    }

    public List<Integer> ints(String field) {
        JsonNode v = get(field);
        if (absent(v)) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                out.add((int) toLong(e, path + "." + field, "uint"));
            }
        } else {
            out.add((int) toLong(v, path + "." + field, "uint"));
        }
        return out;
    }

    /** A list of structs, each read by {@code element}; a single object is a list of one. */
    public <T> List<T> list(String field, Function<JsonRead, T> element) {
        JsonNode v = get(field);
        if (absent(v)) {
            return null;
        }
        List<T> out = new ArrayList<>();
        String at = path + "." + field;
        if (v.isArray()) {
            for (JsonNode e : v) {
                out.add(e.isNull() ? null : element.apply(of(e, at)));
            }
        } else {
            out.add(element.apply(of(v, at)));
        }
        return out;
    }

    /** A map of strings ({@code Labels}, {@code Sysctls}); values that are numbers or booleans become text. */
    public Map<String, String> stringMap(String field) {
        JsonNode v = get(field);
        return absent(v) ? null : stringMap(v, path + "." + field);
    }

    /** {@code v} as a map of strings; {@code at} names it in errors. */
    public static Map<String, String> stringMap(JsonNode v, String at) {
        if (!v.isObject()) {
            throw mismatch(v, at, "map[string]string");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            JsonNode x = e.getValue();
            if (x.isNull()) {
                out.put(e.getKey(), null);
            } else if (x.isValueNode()) {
                out.put(e.getKey(), x.asText());
            } else {
                throw mismatch(x, at, "string");
            }
        }
        return out;
    }

    /** A map of anything ({@code ExposedPorts}, {@code PortBindings}), values as plain Java values. */
    public Map<String, Object> map(String field) {
        JsonNode v = get(field);
        if (absent(v)) {
            return null;
        }
        if (!v.isObject()) {
            throw mismatch(v, path + "." + field, "map[string]interface {}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) plain(v);
        return m;
    }

    /** A list of anything ({@code HostConfig.Mounts}), elements as plain Java values. */
    public List<Object> objects(String field) {
        JsonNode v = get(field);
        if (absent(v)) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(e -> out.add(plain(e)));
        } else {
            out.add(plain(v));
        }
        return out;
    }

    /** The fields not in {@code known}, kept as they came so they are written back unchanged. */
    public ObjectNode others(Set<String> known) {
        ObjectNode out = Json.object();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!known.contains(e.getKey())) {
                    out.set(e.getKey(), e.getValue());
                }
            }
        }
        return out;
    }

    /** A JSON value as Java's: maps (insertion-ordered), lists, strings, numbers, booleans, null. */
    public static Object plain(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                m.put(e.getKey(), plain(e.getValue()));
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(e -> l.add(plain(e)));
            return l;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isNumber()) {
            return n.numberValue();
        }
        return n.asText();
    }

    private JsonNode get(String field) {
        return node == null || !node.isObject() ? null : node.get(field);
    }

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() || (v.isTextual() && v.textValue().isEmpty());
    }

    private static long toLong(JsonNode v, String at, String goType) {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isFloatingPointNumber()) {
            return (long) v.doubleValue();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.textValue().trim());
            } catch (NumberFormatException e) {
                throw mismatch(v, at, goType);
            }
        }
        throw mismatch(v, at, goType);
    }

    private static EngineException.InvalidParameter mismatch(JsonNode v, String at, String goType) {
        return new EngineException.InvalidParameter("json: cannot unmarshal " + kind(v)
                + " into Go struct field " + at + " of type " + goType);
    }

    private static String kind(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isArray()) {
            return "array";
        }
        return v.isObject() ? "object" : "value";
    }
}
