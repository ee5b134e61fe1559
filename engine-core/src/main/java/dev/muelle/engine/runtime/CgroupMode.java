package dev.muelle.engine.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the host mounts cgroups, which decides where runc puts a container's limits and where its
 * stats are read. Detected the way runc and Docker do, from the filesystem mounted at
 * {@code /sys/fs/cgroup}:
 *
 * <ul>
 *   <li>{@link #UNIFIED}: cgroup2 at /sys/fs/cgroup (most current desktops);</li>
 *   <li>{@link #HYBRID}: v1 controllers under /sys/fs/cgroup/&lt;controller&gt; plus an empty-ish
 *       cgroup2 at /sys/fs/cgroup/unified; runc (cgroupfs driver) and Docker use the v1 side;</li>
 *   <li>{@link #LEGACY}: v1 controllers only.</li>
 * </ul>
 */
public enum CgroupMode {
    LEGACY,
    HYBRID,
    UNIFIED;

    /** True when limits and stats live in v1 controller hierarchies (legacy and hybrid). */
    public boolean usesV1Controllers() {
        return this != UNIFIED;
    }

    /** The mode of this host. */
    public static CgroupMode detect() {
        return fromMountinfo(Path.of("/proc/self/mountinfo"));
    }

    /** Decides the mode from a file in {@code /proc/<pid>/mountinfo} format. */
    public static CgroupMode fromMountinfo(Path mountinfo) {
        try {
            return parse(Files.readString(mountinfo));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mountinfo, e);
        }
    }

    static CgroupMode parse(String mountinfoText) {
        boolean unifiedAtRoot = false;
        boolean unifiedAside = false;
        for (String line : mountinfoText.split("\n")) {
            // "<id> <parent> <maj:min> <root> <mount point> <opts> [optional...] - <fstype> <src> <superopts>"
            String[] fields = line.split(" ");
            int separator = line.indexOf(" - ");
            if (fields.length < 5 || separator < 0) {
                continue;
            }
            String fsType = line.substring(separator + 3).split(" ")[0];
            if (!fsType.equals("cgroup2")) {
                continue;
            }
            String mountPoint = fields[4];
            if (mountPoint.equals("/sys/fs/cgroup")) {
                unifiedAtRoot = true;
            } else if (mountPoint.equals("/sys/fs/cgroup/unified")) {
                unifiedAside = true;
            }
        }
        if (unifiedAtRoot) {
            return UNIFIED;
        }
        return unifiedAside ? HYBRID : LEGACY;
    }
}
