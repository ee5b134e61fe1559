package dev.muelle.engine.container.logs;

import dev.muelle.engine.runtime.StdStream;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * One line of conmon's k8s-file log format (the CRI log format):
 * {@code <RFC3339Nano timestamp> <stdout|stderr> <F|P> <content>\n}. {@code P} marks a partial
 * line: conmon read that much without a newline, and the next {@code P}/{@code F} piece of the same
 * stream continues it. The content never contains the newline; a full line's newline is implied.
 *
 * @param timeNanos epoch nanoseconds
 */
record K8sFileLine(long timeNanos, StdStream stream, boolean partial, byte[] content) {

    /** Parses one line (without its trailing newline); null if it is not in the format. */
    static K8sFileLine parse(byte[] buf, int offset, int length) {
        int end = offset + length;
        int first = indexOf(buf, offset, end, (byte) ' ');
        int second = first < 0 ? -1 : indexOf(buf, first + 1, end, (byte) ' ');
        if (second < 0) {
            return null;
        }
        int third = indexOf(buf, second + 1, end, (byte) ' ');
        int tagEnd = third < 0 ? end : third;
        long time;
        try {
            OffsetDateTime at = OffsetDateTime.parse(new String(buf, offset, first - offset, StandardCharsets.US_ASCII));
            time = at.toEpochSecond() * 1_000_000_000L + at.getNano();
        } catch (DateTimeParseException e) {
            return null;
        }
        String streamName = new String(buf, first + 1, second - first - 1, StandardCharsets.US_ASCII);
        StdStream stream = switch (streamName) {
            case "stdout" -> StdStream.STDOUT;
            case "stderr" -> StdStream.STDERR;
            default -> null;
        };
        if (stream == null) {
            return null;
        }
        String tag = new String(buf, second + 1, tagEnd - second - 1, StandardCharsets.US_ASCII);
        // Tags may carry more flags after ':' in the CRI format; only P (partial) matters here.
        boolean partial = tag.equals("P") || tag.startsWith("P:");
        byte[] content = third < 0 ? new byte[0] : Arrays.copyOfRange(buf, third + 1, end);
        return new K8sFileLine(time, stream, partial, content);
    }

    private static int indexOf(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
