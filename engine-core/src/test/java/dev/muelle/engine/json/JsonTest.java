package dev.muelle.engine.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muelle.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    /** Jackson's data binding, as the engine used it before: the reference for every byte. */
    private static final ObjectMapper JACKSON = new ObjectMapper();

    private static final String DOC = "{\"s\":\"a\\\"b\\\\c\\n\\u0001é😀</\",\"i\":-7,\"l\":9007199254740993,"
            + "\"big\":123456789012345678901234567890,\"d\":0.1,\"e\":1.5E300,\"neg\":-0.0,\"t\":true,\"f\":false,"
            + "\"n\":null,\"a\":[1,[],{},\"x\",null],\"o\":{\"k\":{\"z\":[{\"y\":2}]}},\"dup\":1,\"dup\":2}";

    @Test
    void parsesAndWritesExactlyAsJacksonsDataBinding() throws Exception {
        JsonNode ours = Json.parse(DOC);
        JsonNode theirs = JACKSON.readTree(DOC);
        assertThat(ours).isEqualTo(theirs);
        assertThat(Json.string(ours)).isEqualTo(JACKSON.writeValueAsString(theirs));
        assertThat(Json.bytes(ours)).isEqualTo(JACKSON.writeValueAsBytes(theirs));
        assertThat(Json.pretty(ours)).isEqualTo(JACKSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(theirs));
        assertThat(Json.parse(DOC.getBytes(StandardCharsets.UTF_8))).isEqualTo(theirs);
        assertThat(Json.parse(new ByteArrayInputStream(DOC.getBytes(StandardCharsets.UTF_8)))).isEqualTo(theirs);
        assertThat(ours.get("i").isInt()).isTrue();
        assertThat(ours.get("l").isLong()).isTrue();
        assertThat(ours.get("big").isBigInteger()).isTrue();
    }

    @Test
    void javaValuesAreWrittenAsJacksonWroteThem() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("str", "x");
        m.put("int", 1);
        m.put("long", 1L << 40);
        m.put("dbl", 2.5);
        m.put("flt", 1.25f);
        m.put("bool", true);
        m.put("null", null);
        m.put("list", List.of("a", 2, List.of()));
        m.put("map", Map.of("k", "v"));
        m.put("array", new String[] {"p", "q"});
        m.put("longs", new long[] {1, 2});
        m.put("enum", Thread.State.NEW);
        m.put("big", BigInteger.TEN.pow(30));
        m.put("node", Json.parse("{\"x\":[1]}"));
        m.put("bytes", "hi".getBytes(StandardCharsets.UTF_8));
        assertThat(Json.string(m)).isEqualTo(JACKSON.writeValueAsString(m));
        assertThat(Json.bytes(m)).isEqualTo(JACKSON.writeValueAsBytes(m));
        assertThat(Json.string(null)).isEqualTo("null");
        assertThat(Json.string(List.of())).isEqualTo("[]");
    }

    @Test
    void emptyInputIsMissingAndBrokenInputIsAJacksonParseError() throws Exception {
        assertThat(Json.parse("").isMissingNode()).isTrue();
        assertThat(Json.parse("  ").isMissingNode()).isTrue();
        assertThatThrownBy(() -> Json.parse("{bad")).isInstanceOf(com.fasterxml.jackson.core.JsonParseException.class);
        assertThatThrownBy(() -> Json.parse("{\"a\":")).isInstanceOf(IOException.class);
    }

    @Test
    void aStreamMessageIsOneWriteEndingInANewline() throws Exception {
        List<byte[]> writes = new ArrayList<>();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(java.util.Arrays.copyOfRange(b, off, off + len));
            }
        };
        Json.writeLine(out, Map.of("status", "ok"));
        assertThat(writes).hasSize(1);
        assertThat(new String(writes.get(0), StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"ok\"}\n");
    }

    @Test
    void aTypeWithoutAJsonFormIsAProgrammingError() {
        assertThatThrownBy(() -> Json.bytes(new Object())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fieldsAreReadLenientlyButAWrongKindIsRefusedInGosWords() throws Exception {
        JsonRead r = JsonRead.of(Json.parse("{\"s\":5,\"b\":\"true\",\"n\":\"42\",\"l\":\"one\",\"m\":{\"a\":1,\"b\":null},"
                + "\"e\":\"\",\"o\":{\"x\":[1]},\"arr\":[1,2],\"bad\":{\"x\":1}}"), "Top");
        assertThat(r.string("s")).isEqualTo("5");
        assertThat(r.bool("b")).isTrue();
        assertThat(r.int64("n")).isEqualTo(42L);
        assertThat(r.strings("l")).containsExactly("one");
        assertThat(r.stringMap("m")).containsEntry("a", "1").containsEntry("b", null);
        assertThat(r.string("e")).isEmpty();
        assertThat(r.int64("e")).isNull();
        assertThat(r.struct("e")).isNull();
        assertThat(r.struct("o").strings("x")).containsExactly("1");
        assertThat(r.ints("arr")).containsExactly(1, 2);
        assertThat(r.string("missing", "dflt")).isEqualTo("dflt");
        assertThat(r.others(java.util.Set.of("s", "b", "n", "l", "m", "e", "o", "arr")).fieldNames()).toIterable().containsExactly("bad");
        assertThatThrownBy(() -> r.int64("l")).isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("json: cannot unmarshal string into Go struct field Top.l of type int64");
        assertThatThrownBy(() -> r.strings("bad")).hasMessage("json: cannot unmarshal object into Go struct field Top.bad of type []string");
        assertThatThrownBy(() -> r.struct("arr")).hasMessage("json: cannot unmarshal array into Go struct field Top.arr of type arr");
        assertThatThrownBy(() -> r.bool("o")).hasMessage("json: cannot unmarshal object into Go struct field Top.o of type bool");
        assertThatThrownBy(() -> JsonRead.of(Json.parse("[1]"), "Top")).hasMessage("json: cannot unmarshal array into Go struct field Top of type Top");
        assertThat(JsonRead.of(null, "Top").isEmpty()).isTrue();
    }
}
