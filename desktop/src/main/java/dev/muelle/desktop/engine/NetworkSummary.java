package dev.muelle.desktop.engine;

/** One network, from {@code GET /networks}. */
public record NetworkSummary(String id, String name, String driver, String scope) {
}
