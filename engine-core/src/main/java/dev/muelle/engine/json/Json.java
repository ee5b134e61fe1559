package dev.muelle.engine.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's JSON: Jackson's streaming parser and generator with Jackson's tree nodes, and no
 * {@code ObjectMapper}. Building a mapper loads about 900 classes (its serializer and deserializer
 * machinery, plus date, locale and regex classes of the JDK), which stay in the engine's memory for
 * good: about a tenth of its idle RSS. The engine's documents are small and its types few, so each
 * type says how it is written ({@link JsonValue}) and read ({@link JsonRead}).
 *
 * <p>Do not call {@code JsonNode.toString()} or {@code toPrettyString()} in the engine: Jackson
 * builds a hidden mapper for them. Use {@link #string(JsonNode)}. The integration tests fail if the
 * engine ever loads {@code ObjectMapper}.
 */
public final class Json {

    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** One JSON document; a {@link MissingNode} when the input is empty, as Jackson's readTree. */
    public static JsonNode parse(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return read(p);
        }
    }

    public static JsonNode parse(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return read(p);
        }
    }

    /** Reads one document from {@code in}; does not close it. */
    public static JsonNode parse(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            return read(p);
        }
    }

    private static JsonNode read(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        return t == null ? MissingNode.getInstance() : value(p, t);
    }

    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    a.add(value(p, e));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IOException("unexpected JSON token " + t);
        }
    }

    /** Compact JSON as UTF-8, the form the API and the metadata store use. */
    public static byte[] bytes(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, node(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Compact JSON as text (characters outside the BMP as they are, not escaped as in {@link #bytes}). */
    public static String string(Object value) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, node(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Indented with Jackson's default pretty printer (OCI runtime specs, pushed manifests). */
    public static byte[] pretty(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            write(g, node(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes one message of a JSON stream (build, pull, events, stats, wait) with its newline in
     * one write, so one chunk on the wire, and flushes. Clients that split on chunks and parse
     * each remainder (docker-compose 1.x's json_stream) fail on a newline that arrives alone.
     */
    public static void writeLine(OutputStream out, Object message) throws IOException {
        byte[] json = bytes(message);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        out.write(line);
        out.flush();
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT:
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
                return;
            case ARRAY:
                g.writeStartArray();
                for (JsonNode e : n) {
                    write(g, e);
                }
                g.writeEndArray();
                return;
            case STRING:
                g.writeString(n.textValue());
                return;
            case BOOLEAN:
                g.writeBoolean(n.booleanValue());
                return;
            case NUMBER:
                switch (n.numberType()) {
                    case INT:
                        g.writeNumber(n.intValue());
                        return;
                    case LONG:
                        g.writeNumber(n.longValue());
                        return;
                    case BIG_INTEGER:
                        g.writeNumber(n.bigIntegerValue());
                        return;
                    case FLOAT:
                        g.writeNumber(n.floatValue());
                        return;
                    case BIG_DECIMAL:
                        g.writeNumber(n.decimalValue());
                        return;
                    default:
                        g.writeNumber(n.doubleValue());
                        return;
                }
            case BINARY:
                g.writeBinary(n.binaryValue());
                return;
            case NULL:
            case MISSING:
                g.writeNull();
                return;
            default:
                throw new IllegalArgumentException("cannot write a " + n.getNodeType() + " node as JSON");
        }
    }

    /**
     * A Java value as a JSON tree: nodes as they are, {@link JsonValue}s by their own
     * {@code toJson}, strings, numbers, booleans, enums (by name), maps (string keys), collections
     * and arrays of these, and null. Anything else is a programming error.
     */
    public static JsonNode node(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof JsonNode n) {
            return n;
        }
        if (v instanceof JsonValue j) {
            return j.toJson();
        }
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof Short s) {
            return NODES.numberNode(s);
        }
        if (v instanceof Byte b) {
            return NODES.numberNode(b);
        }
        if (v instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (v instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (v instanceof BigInteger b) {
            return NODES.numberNode(b);
        }
        if (v instanceof BigDecimal b) {
            return NODES.numberNode(b);
        }
        if (v instanceof Enum<?> e) {
            return NODES.textNode(e.name());
        }
        if (v instanceof Optional<?> o) {
            return node(o.orElse(null));
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), node(x)));
            return o;
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = NODES.arrayNode();
            c.forEach(x -> a.add(node(x)));
            return a;
        }
        if (v instanceof Object[] arr) {
            ArrayNode a = NODES.arrayNode();
            for (Object x : arr) {
                a.add(node(x));
            }
            return a;
        }
        if (v instanceof long[] arr) {
            ArrayNode a = NODES.arrayNode();
            for (long x : arr) {
                a.add(x);
            }
            return a;
        }
        if (v instanceof int[] arr) {
            ArrayNode a = NODES.arrayNode();
            for (int x : arr) {
                a.add(x);
            }
            return a;
        }
        if (v instanceof byte[] arr) {
            return NODES.binaryNode(arr);
        }
        throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
    }
}
