package dev.muelle.desktop.text;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** How the desktop writes sizes and ages, the way the docker CLI does (binary units, "3 minutes ago"). */
public final class Formats {

    private Formats() {
    }

    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    public static String ago(long epochSeconds, Instant now) {
        Duration d = Duration.between(Instant.ofEpochSecond(epochSeconds), now);
        if (d.isNegative() || d.toSeconds() < 60) {
            return "less than a minute ago";
        }
        if (d.toMinutes() < 60) {
            return plural(d.toMinutes(), "minute") + " ago";
        }
        if (d.toHours() < 48) {
            return plural(d.toHours(), "hour") + " ago";
        }
        if (d.toDays() < 60) {
            return plural(d.toDays(), "day") + " ago";
        }
        return plural(d.toDays() / 30, "month") + " ago";
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
