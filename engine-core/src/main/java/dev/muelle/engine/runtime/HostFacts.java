package dev.muelle.engine.runtime;

import dev.muelle.engine.system.ProcFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the host offers that changes a container's OCI spec: cgroup layout, the engine's own
 * rlimits, the kernel release (seccomp rules depend on it), the highest capability the kernel
 * knows and the engine's own capability bounding set (for "ALL" and privileged), whether the memory cgroup can limit swap, and the
 * {@code docker-init} binary to bind-mount for {@code --init}. Read once at engine start;
 * tests build it by hand to describe other hosts.
 *
 * @param capBounding the engine's bounding set (CapBnd in /proc/self/status), bit n = capability n
 * @param initBinary a static init (tini) on the host, or null when none is installed
 * @param seccompArch the Go-style architecture name seccomp profiles use ("amd64", "arm64")
 */
public record HostFacts(
        CgroupMode cgroupMode,
        HostLimits limits,
        String kernelRelease,
        int capLastCap,
        long capBounding,
        boolean swapLimitSupported,
        Path initBinary,
        String seccompArch) {

    /** Where Docker packages put docker-init (tini), most specific first. */
    private static final List<Path> INIT_CANDIDATES = List.of(
            Path.of("/usr/sbin/docker-init"),
            Path.of("/usr/bin/docker-init"),
            Path.of("/usr/libexec/docker/docker-init"),
            Path.of("/usr/bin/tini-static"));

    /** Reads the facts of the machine the engine runs on. */
    public static HostFacts detect() {
        CgroupMode mode = CgroupMode.detect();
        return new HostFacts(
                mode,
                HostLimits.ofThisProcess(),
                readTrimmed(Path.of("/proc/sys/kernel/osrelease")),
                Integer.parseInt(readTrimmed(Path.of("/proc/sys/kernel/cap_last_cap"))),
                capBounding(readTrimmed(Path.of("/proc/self/status"))),
                swapLimitSupported(mode),
                findInitBinary(),
                goArch(System.getProperty("os.arch")));
    }

    /** CapBnd of a /proc/PID/status text; every capability when the line is missing. */
    static long capBounding(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapBnd:")) {
                return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        }
        return -1L;
    }

    private static boolean swapLimitSupported(CgroupMode mode) {
        // On v2 the swap controller comes with memory (Docker assumes it too); on v1 the kernel
        // needs swapaccount=1, visible as memory.memsw.* files.
        return !mode.usesV1Controllers()
                || Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"));
    }

    private static Path findInitBinary() {
        for (Path candidate : INIT_CANDIDATES) {
            if (Files.isExecutable(candidate)) {
                try {
                    // runc bind-mounts the target; resolve symlinks (docker-init → tini-static) here.
                    return candidate.toRealPath();
                } catch (IOException e) {
                    // dangling link: try the next one
                }
            }
        }
        return null;
    }

    static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> javaArch;
        };
    }

    private static String readTrimmed(Path file) {
        try {
            return ProcFiles.read(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
