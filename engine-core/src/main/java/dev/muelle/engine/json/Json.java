package dev.muelle.engine.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** The engine's one JSON configuration: Docker's field names as written, lenient on input like Go's decoder. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, true)
            .configure(DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT, true)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private Json() {
    }

    /**
     * Writes one message of a JSON stream (build, pull, events, stats, wait) with its newline in
     * one write, so one chunk on the wire, and flushes. Clients that split on chunks and parse
     * each remainder (docker-compose 1.x's json_stream) fail on a newline that arrives alone.
     */
    public static void writeLine(OutputStream out, Object message) throws IOException {
        byte[] json = MAPPER.writeValueAsBytes(message);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        out.write(line);
        out.flush();
    }
}
