package dev.muelle.desktop.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line of terminal output into runs of text with the colours its ANSI SGR codes
 * ({@code ESC[...m}) ask for. Other escape sequences (cursor movement, titles) are dropped, since
 * a log view shows lines, not a screen.
 *
 * <p>Colours are indices: 0–7 normal, 8–15 bright, 16–255 the xterm palette, -1 the default.
 */
public final class AnsiText {

    private AnsiText() {
    }

    /** A run of text with one style. */
    public record Run(String text, int foreground, int background, boolean bold, boolean underline) {
    }

    public static List<Run> parse(String line) {
        List<Run> runs = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int fg = -1;
        int bg = -1;
        boolean bold = false;
        boolean underline = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c != '\u001b') {
                if (c >= ' ' || c == '\t') {
                    text.append(c);
                }
                i++;
                continue;
            }
            // ESC: flush the run so far, then read the sequence.
            if (text.length() > 0) {
                runs.add(new Run(text.toString(), fg, bg, bold, underline));
                text.setLength(0);
            }
            if (i + 1 < line.length() && line.charAt(i + 1) == '[') {
                int end = i + 2;
                while (end < line.length() && (line.charAt(end) < 0x40 || line.charAt(end) > 0x7e)) {
                    end++;
                }
                if (end >= line.length()) {
                    break;
                }
                if (line.charAt(end) == 'm') {
                    int[] codes = codes(line.substring(i + 2, end));
                    for (int k = 0; k < codes.length; k++) {
                        int code = codes[k];
                        if (code == 0) {
                            fg = -1;
                            bg = -1;
                            bold = false;
                            underline = false;
                        } else if (code == 1) {
                            bold = true;
                        } else if (code == 4) {
                            underline = true;
                        } else if (code == 22) {
                            bold = false;
                        } else if (code == 24) {
                            underline = false;
                        } else if (code >= 30 && code <= 37) {
                            fg = code - 30;
                        } else if (code == 39) {
                            fg = -1;
                        } else if (code >= 40 && code <= 47) {
                            bg = code - 40;
                        } else if (code == 49) {
                            bg = -1;
                        } else if (code >= 90 && code <= 97) {
                            fg = code - 90 + 8;
                        } else if (code >= 100 && code <= 107) {
                            bg = code - 100 + 8;
                        } else if ((code == 38 || code == 48) && k + 2 < codes.length && codes[k + 1] == 5) {
                            if (code == 38) {
                                fg = codes[k + 2];
                            } else {
                                bg = codes[k + 2];
                            }
                            k += 2;
                        } else if ((code == 38 || code == 48) && k + 4 < codes.length && codes[k + 1] == 2) {
                            k += 4; // 24-bit colour: shown in the default colour
                        }
                    }
                }
                i = end + 1;
            } else if (i + 1 < line.length() && line.charAt(i + 1) == ']') {
                // OSC (window title ...): ends with BEL or ESC \
                int end = i + 2;
                while (end < line.length() && line.charAt(end) != '\u0007' && line.charAt(end) != '\u001b') {
                    end++;
                }
                i = end < line.length() && line.charAt(end) == '\u001b' ? end + 2 : end + 1;
            } else {
                i += 2;
            }
        }
        if (text.length() > 0) {
            runs.add(new Run(text.toString(), fg, bg, bold, underline));
        }
        return runs;
    }

    /** The text without any escape sequences (for search, copy and save). */
    public static String plain(String line) {
        StringBuilder s = new StringBuilder();
        for (Run r : parse(line)) {
            s.append(r.text());
        }
        return s.toString();
    }

    private static int[] codes(String params) {
        if (params.isEmpty()) {
            return new int[] {0};
        }
        String[] parts = params.split("[;:]");
        int[] codes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                codes[i] = parts[i].isEmpty() ? 0 : Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                codes[i] = -1;
            }
        }
        return codes;
    }
}
