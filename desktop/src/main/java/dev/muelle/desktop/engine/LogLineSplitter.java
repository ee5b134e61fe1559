package dev.muelle.desktop.engine;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns the engine's log frames into whole lines. A frame may carry part of a line or many lines;
 * each stream (stdout, stderr) keeps its own unfinished tail. With timestamps on, the engine puts
 * an RFC 3339 timestamp and a space before each line, which is split off here.
 */
final class LogLineSplitter {

    private final boolean timestamps;
    private final Consumer<LogLine> sink;
    private final Map<String, StringBuilder> partial = new HashMap<>();

    LogLineSplitter(boolean timestamps, Consumer<LogLine> sink) {
        this.timestamps = timestamps;
        this.sink = sink;
    }

    synchronized void accept(String stream, byte[] payload) {
        StringBuilder buffer = partial.computeIfAbsent(stream, s -> new StringBuilder());
        buffer.append(new String(payload, StandardCharsets.UTF_8));
        int newline;
        while ((newline = buffer.indexOf("\n")) >= 0) {
            String line = buffer.substring(0, newline);
            buffer.delete(0, newline + 1);
            emit(stream, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
    }

    /** Deliver what is left without a newline (the stream ended mid-line). */
    synchronized void flush() {
        partial.forEach((stream, buffer) -> {
            if (buffer.length() > 0) {
                emit(stream, buffer.toString());
                buffer.setLength(0);
            }
        });
    }

    private void emit(String stream, String line) {
        if (timestamps) {
            int space = line.indexOf(' ');
            if (space > 0 && Character.isDigit(line.charAt(0))) {
                sink.accept(new LogLine(stream, line.substring(0, space), line.substring(space + 1)));
                return;
            }
        }
        sink.accept(new LogLine(stream, null, line));
    }
}
