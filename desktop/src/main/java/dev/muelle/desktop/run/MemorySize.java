package dev.muelle.desktop.run;

import java.util.Locale;

/** Sizes as {@code docker run -m} reads them: a number with an optional unit b, k, m, g (binary). */
final class MemorySize {

    private MemorySize() {
    }

    /** Bytes, or -1 when the text is not a size. */
    static long parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (t.endsWith("ib")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                case 'b' -> unit = 1;
                default -> unit = 0;
            }
            if (unit != 0) {
                t = t.substring(0, t.length() - 1);
            } else {
                unit = 1;
            }
        }
        try {
            double value = Double.parseDouble(t);
            return value < 0 ? -1 : (long) (value * unit);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The shortest exact way to write {@code bytes} for {@code -m}: 256m, 1g, 1536k. */
    static String format(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + "g";
        }
        if (bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + "m";
        }
        if (bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + "k";
        }
        return Long.toString(bytes);
    }
}
