package dev.muelle.engine.image;

import dev.muelle.engine.errors.EngineException;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The times Docker's {@code until}/{@code since} filters take: a Go duration before now
 * ({@code 24h}, {@code 1h30m}), unix seconds (with fraction), or RFC 3339.
 */
final class Timestamps {

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private Timestamps() {
    }

    static Instant parse(String value, Instant now) {
        String v = value.trim();
        try {
            if (v.matches("\\d+(\\.\\d+)?")) {
                String[] p = v.split("\\.");
                long nanos = p.length > 1 ? Long.parseLong((p[1] + "000000000").substring(0, 9)) : 0;
                return Instant.ofEpochSecond(Long.parseLong(p[0]), nanos);
            }
            if (v.matches("(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+")) {
                Matcher m = DURATION_PART.matcher(v);
                double nanos = 0;
                while (m.find()) {
                    double n = Double.parseDouble(m.group(1));
                    nanos += n * switch (m.group(2)) {
                        case "ns" -> 1;
                        case "us", "µs" -> 1e3;
                        case "ms" -> 1e6;
                        case "s" -> 1e9;
                        case "m" -> 60e9;
                        default -> 3600e9;
                    };
                }
                return now.minus(Duration.ofNanos((long) nanos));
            }
            return Instant.parse(v);
        } catch (RuntimeException e) {
            throw new EngineException.InvalidParameter("failed to parse value as time or duration: \"" + value + "\"");
        }
    }
}
