package dev.muelle.desktop.engine;

/**
 * One line of a container's output.
 *
 * @param stream "stdout" or "stderr" ("tty" when the container has a terminal and streams are merged)
 * @param timestamp the engine's RFC 3339 timestamp when asked for, else null
 * @param text the line without its newline; may hold ANSI escape sequences
 */
public record LogLine(String stream, String timestamp, String text) {
}
