package dev.muelle.desktop.engine;

/** One named volume, from {@code GET /volumes}. */
public record VolumeSummary(String name, String driver, String mountpoint) {
}
