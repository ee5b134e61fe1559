package dev.muelle.engine.container.logs;

import dev.muelle.engine.runtime.StdStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class LogReaderTest {

    @TempDir
    Path dir;

    private record Line(StdStream stream, long time, String text) {
    }

    private static final String SAMPLE = """
            2026-11-27T22:55:39.000000001+00:00 stdout F one
            2026-11-27T22:55:40.000000000+00:00 stderr F two
            2026-11-27T22:55:41.500000000+00:00 stdout P thr
            2026-11-27T22:55:41.600000000+00:00 stderr F four
            2026-11-27T22:55:41.700000000+00:00 stdout F ee
            2026-11-27T22:55:42.000000000Z stdout F
            """;

    private List<Line> read(String content, LogOptions options) throws IOException {
        Path log = dir.resolve("ctr.log");
        Files.writeString(log, content);
        List<Line> lines = new ArrayList<>();
        LogReader.read(log, options, () -> false,
                (stream, time, bytes) -> lines.add(new Line(stream, time, new String(bytes, StandardCharsets.UTF_8))));
        return lines;
    }

    private static long nanos(String instant) {
        Instant at = Instant.parse(instant);
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    @Test
    void joinsPartialPiecesAndRestoresNewlines() throws IOException {
        List<Line> lines = read(SAMPLE, LogOptions.all());
        assertThat(lines).extracting(Line::text).containsExactly("one\n", "two\n", "four\n", "three\n", "\n");
        assertThat(lines).extracting(Line::stream).containsExactly(StdStream.STDOUT, StdStream.STDERR,
                StdStream.STDERR, StdStream.STDOUT, StdStream.STDOUT);
        assertThat(lines.get(0).time()).isEqualTo(nanos("2026-11-27T22:55:39.000000001Z"));
        assertThat(lines.get(3).time()).isEqualTo(nanos("2026-11-27T22:55:41.700Z"));
    }

    @Test
    void filtersStreams() throws IOException {
        assertThat(read(SAMPLE, new LogOptions(false, true, false, -1, 0, 0, false)))
                .extracting(Line::text).containsExactly("two\n", "four\n");
    }

    @Test
    void tailCountsWholeLinesAfterFiltering() throws IOException {
        assertThat(read(SAMPLE, new LogOptions(true, true, false, 2, 0, 0, false)))
                .extracting(Line::text).containsExactly("three\n", "\n");
        assertThat(read(SAMPLE, new LogOptions(true, false, false, 2, 0, 0, false)))
                .extracting(Line::text).containsExactly("three\n", "\n");
        assertThat(read(SAMPLE, new LogOptions(true, true, false, 0, 0, 0, false))).isEmpty();
    }

    @Test
    void sinceAndUntilBoundTheTimeRange() throws IOException {
        long since = nanos("2026-11-27T22:55:40Z");
        long until = nanos("2026-11-27T22:55:41.650Z");
        assertThat(read(SAMPLE, new LogOptions(true, true, false, -1, since, until, false)))
                .extracting(Line::text).containsExactly("two\n", "four\n");
    }

    @Test
    void timestampsArePrefixedInDockersFormat() throws IOException {
        assertThat(read(SAMPLE, new LogOptions(true, false, false, 1, 0, 0, true)))
                .extracting(Line::text).containsExactly("2026-11-27T22:55:42Z \n");
        assertThat(LogReader.formatTimestamp(nanos("2026-11-27T22:55:41.500Z"))).isEqualTo("2026-11-27T22:55:41.5Z");
        assertThat(LogReader.formatTimestamp(nanos("2026-11-27T22:55:00.000000001Z")))
                .isEqualTo("2026-11-27T22:55:00.000000001Z");
    }

    @Test
    void unfinishedPartialIsSentWithoutNewlineAndMalformedLinesAreSkipped() throws IOException {
        String content = "garbage\n2026-11-27T22:55:39Z stdout P Password: \n2026-11-27T22:55:39Z stdout F ok";
        assertThat(read(content, LogOptions.all())).extracting(Line::text).containsExactly("Password: ");
    }

    @Test
    void followSeesLinesAppendedByAWriterAndStopsWhenTheContainerStopped() throws Exception {
        Path log = dir.resolve("follow.log");
        Files.writeString(log, "2026-11-27T22:55:39Z stdout F before\n");
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> seen = new ArrayList<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 5; i++) {
                    Thread.sleep(30);
                    // Written in two pieces, like a write(2) boundary in the middle of a line.
                    Files.writeString(log, "2026-11-27T22:55:4" + i + "Z std", StandardOpenOption.APPEND);
                    Thread.sleep(10);
                    Files.writeString(log, "err F line" + i + "\n", StandardOpenOption.APPEND);
                }
                Files.writeString(log, "2026-11-27T22:55:49Z stdout P last", StandardOpenOption.APPEND);
                Files.writeString(log, "\n", StandardOpenOption.APPEND);
                running.set(false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        long started = System.nanoTime();
        LogReader.read(log, new LogOptions(true, true, true, 1, 0, 0, false), running::get,
                (stream, time, bytes) -> seen.add(stream + ":" + new String(bytes, StandardCharsets.UTF_8)));
        writer.join();
        assertThat(seen).containsExactly("STDOUT:before\n", "STDERR:line0\n", "STDERR:line1\n", "STDERR:line2\n",
                "STDERR:line3\n", "STDERR:line4\n", "STDOUT:last");
        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
    }

    @Test
    void followReturnsOnceAStoppedContainersLogIsDrained() throws IOException {
        Path log = dir.resolve("done.log");
        Files.writeString(log, "2026-11-27T22:55:39Z stdout F a\n2026-11-27T22:55:39Z stdout F b\n");
        List<String> seen = new ArrayList<>();
        LogReader.read(log, new LogOptions(true, true, true, -1, 0, 0, false), () -> false,
                (stream, time, bytes) -> seen.add(new String(bytes, StandardCharsets.UTF_8)));
        assertThat(seen).containsExactly("a\n", "b\n");
    }
}
