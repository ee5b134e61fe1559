package dev.muelle.engine.runtime;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.system.ProcFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine process's own hard resource limits, read from {@code /proc/self/limits}.
 *
 * <p>Why it exists: runc sets a container's rlimits with setrlimit(2) from a process that
 * inherited the engine's limits. Without CAP_SYS_RESOURCE (the case on our build machines) a
 * hard limit can only be lowered, so asking for Docker's RLIMIT_NOFILE 1048576 above the engine's
 * own hard limit makes runc fail with "error setting rlimits". {@link #clamp} lowers a request to
 * what the kernel will accept.
 *
 * <p>Values use Docker's ulimit convention: -1 (any negative) is unlimited. Keys are Docker's
 * ulimit names ("nofile", "nproc", ...); a limit the file does not list is treated as unlimited.
 */
public final class HostLimits {

    /** "Max open files" row of /proc/self/limits → Docker ulimit name. */
    private static final Map<String, String> ROW_TO_NAME = Map.ofEntries(
            Map.entry("Max cpu time", "cpu"),
            Map.entry("Max file size", "fsize"),
            Map.entry("Max data size", "data"),
            Map.entry("Max stack size", "stack"),
            Map.entry("Max core file size", "core"),
            Map.entry("Max resident set", "rss"),
            Map.entry("Max processes", "nproc"),
            Map.entry("Max open files", "nofile"),
            Map.entry("Max locked memory", "memlock"),
            Map.entry("Max address space", "as"),
            Map.entry("Max file locks", "locks"),
            Map.entry("Max pending signals", "sigpending"),
            Map.entry("Max msgqueue size", "msgqueue"),
            Map.entry("Max nice priority", "nice"),
            Map.entry("Max realtime priority", "rtprio"),
            Map.entry("Max realtime timeout", "rttime"));

    public static final long UNLIMITED = -1;

    private final Map<String, Long> hardLimits;

    private HostLimits(Map<String, Long> hardLimits) {
        this.hardLimits = Map.copyOf(hardLimits);
    }

    /** The limits of the running engine process. */
    public static HostLimits ofThisProcess() {
        return read(Path.of("/proc/self/limits"));
    }

    /** Parses a file in the format of {@code /proc/<pid>/limits}. */
    public static HostLimits read(Path limitsFile) {
        try {
            return parse(ProcFiles.read(limitsFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + limitsFile, e);
        }
    }

    static HostLimits parse(String limitsText) {
        Map<String, Long> hard = new TreeMap<>();
        for (String line : limitsText.split("\n")) {
            // Columns are separated by runs of 2+ spaces; the row name itself has single spaces.
            String[] columns = line.trim().split("\\s{2,}");
            if (columns.length < 3) {
                continue;
            }
            String name = ROW_TO_NAME.get(columns[0]);
            if (name != null) {
                hard.put(name, parseValue(columns[2]));
            }
        }
        return new HostLimits(hard);
    }

    /** The host's hard limit for a Docker ulimit name, or {@link #UNLIMITED}. */
    public long hard(String ulimitName) {
        return hardLimits.getOrDefault(ulimitName, UNLIMITED);
    }

    /**
     * Lowers {@code wanted} so that both values fit under the engine's hard limit: the hard limit
     * is capped at the host's, the soft limit at the (new) hard limit. Unknown names are rejected
     * with Docker's wording.
     */
    public RuntimeSpec.Ulimit clamp(RuntimeSpec.Ulimit wanted) {
        if (!ROW_TO_NAME.containsValue(wanted.name())) {
            throw new EngineException.InvalidParameter("invalid ulimit type: " + wanted.name());
        }
        long hostHard = hard(wanted.name());
        long hard = wanted.hard();
        if (hostHard >= 0 && (hard < 0 || hard > hostHard)) {
            hard = hostHard;
        }
        long soft = wanted.soft();
        if (hard >= 0 && (soft < 0 || soft > hard)) {
            soft = hard;
        }
        return new RuntimeSpec.Ulimit(wanted.name(), soft, hard);
    }

    private static long parseValue(String column) {
        return column.equals("unlimited") ? UNLIMITED : Long.parseLong(column);
    }

    @Override
    public String toString() {
        return "HostLimits" + hardLimits;
    }
}
