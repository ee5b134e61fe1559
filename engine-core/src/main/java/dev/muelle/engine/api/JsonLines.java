package dev.muelle.engine.api;

import dev.muelle.engine.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Streams of JSON messages (build, pull, events, wait): each message and its newline go out in
 * one write, so one chunk on the wire. Clients that split on chunks and parse each remainder
 * (docker-compose 1.x's json_stream) fail on a newline that arrives as a chunk of its own.
 */
final class JsonLines {

    private JsonLines() {
    }

    static void write(OutputStream out, Object message) throws IOException {
        byte[] json = Json.MAPPER.writeValueAsBytes(message);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        out.write(line);
        out.flush();
    }
}
