package dev.muelle.engine.container.logs;

import dev.muelle.engine.runtime.StdStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's k8s-file log (see {@link K8sFileLine}) the way {@code docker logs} wants it:
 * partial pieces joined back into lines, streams and time range filtered, the last {@code tail}
 * lines, then, when following, new lines as conmon appends them until the container stopped and
 * the file is drained.
 *
 * <p>Following checks the file for growth every {@value #FOLLOW_POLL_MILLIS} ms: conmon appends with
 * plain writes, so there is nothing cheaper to wait on that also works on every filesystem, and a
 * sleeping thread costs nothing. Reading stops early if the sink throws or the thread is
 * interrupted. Rotated logs ({@code --log-size-max}) are not followed across the rotation.
 */
public final class LogReader {

    static final long FOLLOW_POLL_MILLIS = 100;
    private static final int CHUNK_BYTES = 64 * 1024;

    private LogReader() {
    }

    private record Entry(StdStream stream, long timeNanos, byte[] bytes) {
    }

    /**
     * Sends the log to {@code sink}.
     *
     * @param stillRunning asked while following, when no new data came: false ends the follow
     *                     after one last read of what the container wrote before it stopped
     */
    public static void read(Path logFile, LogOptions options, BooleanSupplier stillRunning, LogSink sink)
            throws IOException {
        if (!Files.exists(logFile)) {
            if (!options.follow() || !awaitCreation(logFile, stillRunning)) {
                return;
            }
        }
        try (FileChannel channel = FileChannel.open(logFile, StandardOpenOption.READ)) {
            Parser parser = new Parser(options);
            ArrayDeque<Entry> tail = new ArrayDeque<>();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
            while (channel.read(chunk.clear()) > 0) {
                for (Entry entry : parser.feed(chunk.flip())) {
                    keepForTail(tail, entry, options.tail());
                }
            }
            if (!options.follow()) {
                for (Entry entry : parser.flushPartials()) {
                    keepForTail(tail, entry, options.tail());
                }
            }
            for (Entry entry : tail) {
                send(sink, entry, options);
            }
            if (!options.follow()) {
                return;
            }
            follow(channel, parser, options, stillRunning, sink);
        }
    }

    private static void follow(FileChannel channel, Parser parser, LogOptions options, BooleanSupplier stillRunning,
                               LogSink sink) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
        while (true) {
            int n = channel.read(chunk.clear());
            if (n > 0) {
                for (Entry entry : parser.feed(chunk.flip())) {
                    send(sink, entry, options);
                }
                if (parser.pastUntil()) {
                    return;
                }
                continue;
            }
            if (!stillRunning.getAsBoolean()) {
                // The container stopped: whatever conmon wrote before is in the file now.
                while (channel.read(chunk.clear()) > 0) {
                    for (Entry entry : parser.feed(chunk.flip())) {
                        send(sink, entry, options);
                    }
                }
                for (Entry entry : parser.flushPartials()) {
                    send(sink, entry, options);
                }
                return;
            }
            pause();
        }
    }

    private static boolean awaitCreation(Path logFile, BooleanSupplier stillRunning) throws IOException {
        while (!Files.exists(logFile)) {
            if (!stillRunning.getAsBoolean()) {
                return Files.exists(logFile);
            }
            pause();
        }
        return true;
    }

    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(FOLLOW_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("log follow interrupted");
        }
    }

    private static void keepForTail(ArrayDeque<Entry> tail, Entry entry, int limit) {
        if (limit == 0) {
            return;
        }
        tail.addLast(entry);
        if (limit > 0 && tail.size() > limit) {
            tail.removeFirst();
        }
    }

    private static void send(LogSink sink, Entry entry, LogOptions options) throws IOException {
        byte[] bytes = entry.bytes();
        if (options.timestamps()) {
            byte[] prefix = (formatTimestamp(entry.timeNanos()) + " ").getBytes(StandardCharsets.US_ASCII);
            byte[] joined = new byte[prefix.length + bytes.length];
            System.arraycopy(prefix, 0, joined, 0, prefix.length);
            System.arraycopy(bytes, 0, joined, prefix.length, bytes.length);
            bytes = joined;
        }
        sink.accept(entry.stream(), entry.timeNanos(), bytes);
    }

    /** Go's RFC3339Nano in UTC, as dockerd prints it: trailing zeros of the fraction dropped. */
    static String formatTimestamp(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
        String base = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC).toString();
        if (base.length() == 16) {
            base += ":00"; // LocalDateTime omits zero seconds
        }
        if (nanos == 0) {
            return base + "Z";
        }
        String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
        return base + "." + fraction + "Z";
    }

    /**
     * Splits raw file bytes into lines, parses them, joins partial pieces per stream and applies the
     * stream and time filters. Keeps an unfinished last line until its newline arrives.
     */
    private static final class Parser {
        private final LogOptions options;
        private final ByteArrayOutputStream unfinished = new ByteArrayOutputStream();
        private final Map<StdStream, ByteArrayOutputStream> partials = new EnumMap<>(StdStream.class);
        private final Map<StdStream, Long> partialTimes = new EnumMap<>(StdStream.class);
        private boolean pastUntil;

        Parser(LogOptions options) {
            this.options = options;
        }

        boolean pastUntil() {
            return pastUntil;
        }

        List<Entry> feed(ByteBuffer data) {
            List<Entry> out = new ArrayList<>();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                byte[] line;
                if (unfinished.size() > 0) {
                    unfinished.write(bytes, start, i - start);
                    line = unfinished.toByteArray();
                    unfinished.reset();
                } else {
                    line = java.util.Arrays.copyOfRange(bytes, start, i);
                }
                start = i + 1;
                K8sFileLine parsed = K8sFileLine.parse(line, 0, line.length);
                if (parsed != null) {
                    accept(parsed, out);
                }
            }
            unfinished.write(bytes, start, bytes.length - start);
            return out;
        }

        private void accept(K8sFileLine line, List<Entry> out) {
            ByteArrayOutputStream pending = partials.computeIfAbsent(line.stream(), s -> new ByteArrayOutputStream());
            partialTimes.putIfAbsent(line.stream(), line.timeNanos());
            pending.writeBytes(line.content());
            if (line.partial()) {
                return;
            }
            pending.write('\n');
            emit(line.stream(), line.timeNanos(), pending.toByteArray(), out);
            pending.reset();
            partialTimes.remove(line.stream());
        }

        List<Entry> flushPartials() {
            List<Entry> out = new ArrayList<>();
            for (Map.Entry<StdStream, ByteArrayOutputStream> e : partials.entrySet()) {
                if (e.getValue().size() > 0) {
                    emit(e.getKey(), partialTimes.get(e.getKey()), e.getValue().toByteArray(), out);
                    e.getValue().reset();
                }
            }
            partialTimes.clear();
            return out;
        }

        private void emit(StdStream stream, long time, byte[] bytes, List<Entry> out) {
            if (options.untilNanos() > 0 && time > options.untilNanos()) {
                pastUntil = true;
                return;
            }
            if (options.sinceNanos() > 0 && time < options.sinceNanos()) {
                return;
            }
            if ((stream == StdStream.STDOUT && !options.stdout()) || (stream == StdStream.STDERR && !options.stderr())) {
                return;
            }
            out.add(new Entry(stream, time, bytes));
        }
    }
}
