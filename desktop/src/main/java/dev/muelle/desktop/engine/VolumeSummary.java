package dev.muelle.desktop.engine;

import java.util.List;
import java.util.Map;

/**
 * One named volume, from {@code GET /volumes}, with its size from {@code /system/df} and the
 * containers that mount it.
 *
 * @param created the engine's {@code CreatedAt} text (RFC 3339), empty when unknown
 * @param size bytes in the volume, -1 when the engine does not say
 * @param usedBy names of the containers (running or not) that mount the volume
 */
public record VolumeSummary(String name, String driver, String mountpoint, String created, Map<String, String> labels,
                            long size, List<String> usedBy) {
}
