package dev.muelle.engine.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.OutputStream;

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
     * Writes {@code message} and its newline in one write, then flushes: on a streaming HTTP
     * response that is one chunk per message, which docker-py's stream reader relies on (it
     * decodes each chunk as it arrives).
     */
    public static void writeLine(OutputStream out, Object message) throws IOException {
        byte[] body = MAPPER.writeValueAsBytes(message);
        byte[] line = java.util.Arrays.copyOf(body, body.length + 1);
        line[body.length] = '\n';
        out.write(line);
        out.flush();
    }
}
