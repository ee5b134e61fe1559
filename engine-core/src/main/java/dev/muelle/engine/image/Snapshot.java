package dev.muelle.engine.image;

import java.nio.file.Path;
import java.util.List;

/**
 * A container's view of its image: read-only {@code lowerDirs} (topmost first, as overlayfs
 * lists them) under the container's own {@code upperDir}, assembled at {@code mergedDir}.
 * {@code lowerDirs} is never empty: an image without layers gets one empty directory.
 */
public record Snapshot(String containerId, String imageId, List<Path> lowerDirs, Path upperDir, Path workDir,
                       Path mergedDir) {
}
