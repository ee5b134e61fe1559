package dev.muelle.engine.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads kernel files (/proc, /sys, cgroupfs) whole. Not with {@code Files.readString}: those files
 * report size 0, so the JDK reads their first byte alone and then continues at offset 1, and
 * recent kernels answer a sysctl read at a non-zero offset with end-of-file.
 * {@code /proc/sys/kernel/cap_last_cap} then reads "4" instead of "40". One read from offset 0
 * with a full buffer gets the whole value.
 */
public final class ProcFiles {

    private ProcFiles() {
    }

    public static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
