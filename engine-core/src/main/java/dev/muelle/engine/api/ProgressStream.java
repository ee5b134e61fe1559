package dev.muelle.engine.api;

import dev.muelle.engine.image.Progress;
import dev.muelle.engine.image.ProgressSink;
import dev.muelle.engine.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Docker's JSON message stream ({@code github.com/moby/moby/pkg/jsonmessage}), what the CLI
 * renders as per-layer progress bars: one JSON object per line, e.g. {@code {"status":
 * "Downloading","progressDetail":{"current":N,"total":M},"progress":"[==>  ]  1.2MB/3.4MB",
 * "id":"<12 hex>"}}.
 *
 * <p>The HTTP response starts with the first message, as in dockerd: a failure before anything
 * was sent is still an ordinary error response ({@code Error response from daemon: …}); a
 * failure after it goes in-stream as {@code {"errorDetail":{"message":…},"error":…}}.
 */
final class ProgressStream implements ProgressSink {

    private static final int BAR_WIDTH = 50;
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    private final ApiResponse response;
    private OutputStream out;

    ProgressStream(ApiResponse response) {
        this.response = response;
    }

    boolean started() {
        return out != null;
    }

    @Override
    public synchronized void report(Progress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (p.kind()) {
            case MESSAGE -> {
                m.put("status", p.status());
                if (p.id() != null) {
                    m.put("id", p.id());
                }
            }
            case LAYER -> {
                m.put("status", p.status());
                m.put("progressDetail", Map.of());
                m.put("id", p.id());
            }
            case BYTES -> {
                m.put("status", p.status());
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("current", p.current());
                if (p.total() > 0) {
                    detail.put("total", p.total());
                }
                m.put("progressDetail", detail);
                m.put("progress", bar(p.current(), p.total()));
                m.put("id", p.id());
            }
            case AUX -> {
                m.put("progressDetail", Map.of());
                m.put("aux", p.aux());
            }
        }
        write(m);
    }

    /** Sends a failure in-stream when the stream has started; returns false if it has not. */
    synchronized boolean error(String message) {
        if (out == null) {
            return false;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("errorDetail", Map.of("message", message));
        m.put("error", message);
        try {
            write(m);
        } catch (UncheckedIOException clientGone) {
            // nobody left to tell
        }
        return true;
    }

    private void write(Map<String, Object> m) {
        try {
            if (out == null) {
                out = response.stream(200, "application/json");
            }
            Json.writeLine(out, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code JSONProgress.String()} as dockerd renders it for a wide terminal, without the ETA. */
    static String bar(long current, long total) {
        if (current <= 0 && total <= 0) {
            return "";
        }
        if (total <= 0) {
            return String.format("%8s", humanSize(current));
        }
        int filled = (int) Math.min(BAR_WIDTH, (int) ((double) current / total * 100) / 2);
        String box = "[" + "=".repeat(filled) + ">" + " ".repeat(BAR_WIDTH - filled) + "] ";
        String numbers = current > total ? String.format("%8s", humanSize(current))
                : String.format("%8s/%s", humanSize(current), humanSize(total));
        return box + numbers;
    }

    /** go-units HumanSize: decimal units, four significant digits, no trailing zeros. */
    static String humanSize(double size) {
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        String number = new BigDecimal(size).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        return number + UNITS[unit];
    }
}
