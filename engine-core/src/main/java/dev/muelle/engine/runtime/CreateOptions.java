package dev.muelle.engine.runtime;

import java.nio.file.Path;

/**
 * How conmon wires a new container's stdio.
 *
 * @param tty       allocate a pseudo-terminal (the bundle's {@code process.terminal} must agree)
 * @param openStdin keep a stdin pipe the attach socket can write to
 * @param stdinOnce close the container's stdin when the first attached client detaches
 * @param logPath   where conmon writes the k8s-file log (parent directories are created)
 * @param name      the container name conmon reports in its own diagnostics
 */
public record CreateOptions(boolean tty, boolean openStdin, boolean stdinOnce, Path logPath, String name) {
}
