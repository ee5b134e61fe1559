package dev.muelle.engine.runtime;

import dev.muelle.engine.runtime.CgroupStats.BlkioEntry;
import dev.muelle.engine.system.ProcFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a container's resource use from its cgroup, on both cgroup layouts:
 *
 * <ul>
 *   <li>v1 (legacy and hybrid hosts, cgroupfs driver): one directory per controller,
 *       {@code <root>/memory<cgroupsPath>/memory.usage_in_bytes}, {@code cpuacct}, {@code cpu},
 *       {@code pids}, {@code blkio};</li>
 *   <li>v2 (unified): one directory {@code <root><cgroupsPath>} with memory.current, cpu.stat,
 *       pids.current, io.stat.</li>
 * </ul>
 *
 * {@code cgroupsPath} is the path given to runc in config.json (e.g. "/muelle/&lt;id&gt;").
 * Everything is read below one host root (normally "/": {@code sys/fs/cgroup},
 * {@code proc/stat}, {@code proc/meminfo}, {@code sys/devices/system/cpu/online}), so tests point
 * it at a tree of real file formats. Missing files read as zero: a container that just stopped
 * has no cgroup left, and Docker reports zeros then.
 */
public final class CgroupStatsReader {

    /** USER_HZ: the unit of /proc/stat and cpuacct.stat on every Linux architecture Docker supports. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final long NANOS_PER_TICK = 1_000_000_000L / CLOCK_TICKS_PER_SECOND;

    private final CgroupMode mode;
    private final Path cgroupRoot;
    private final Path hostRoot;
    private final Clock clock;

    /** A reader for this host. */
    public static CgroupStatsReader forThisHost() {
        return new CgroupStatsReader(CgroupMode.detect(), Path.of("/"), Clock.systemUTC());
    }

    /** A reader for a host whose filesystem is under {@code hostRoot}. */
    public CgroupStatsReader(CgroupMode mode, Path hostRoot, Clock clock) {
        this.mode = mode;
        this.hostRoot = hostRoot;
        this.cgroupRoot = hostRoot.resolve("sys/fs/cgroup");
        this.clock = clock;
    }

    /** One sample of the container whose runc cgroupsPath is given. */
    public CgroupStats read(String cgroupsPath) {
        String relative = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
        long hostMemory = hostMemoryBytes();
        CgroupStats.Memory memory;
        CgroupStats.Cpu cpu;
        CgroupStats.Pids pids;
        List<BlkioEntry> io;
        if (mode.usesV1Controllers()) {
            memory = memoryV1(cgroupRoot.resolve("memory").resolve(relative), hostMemory);
            cpu = cpuV1(cgroupRoot.resolve("cpuacct").resolve(relative), cgroupRoot.resolve("cpu").resolve(relative));
            pids = pids(cgroupRoot.resolve("pids").resolve(relative));
            io = blkioV1(cgroupRoot.resolve("blkio").resolve(relative));
        } else {
            Path dir = cgroupRoot.resolve(relative);
            memory = memoryV2(dir, hostMemory);
            cpu = cpuV2(dir);
            pids = pids(dir);
            io = ioV2(dir);
        }
        return new CgroupStats(clock.instant(), memory, cpu, pids, io, systemCpuNanos(), onlineCpus());
    }

    private static CgroupStats.Memory memoryV1(Path dir, long hostMemory) {
        return new CgroupStats.Memory(
                readLong(dir.resolve("memory.usage_in_bytes")),
                readLong(dir.resolve("memory.max_usage_in_bytes")),
                readLong(dir.resolve("memory.failcnt")),
                capAtHost(readLong(dir.resolve("memory.limit_in_bytes")), hostMemory),
                keyValues(dir.resolve("memory.stat")));
    }

    private static CgroupStats.Memory memoryV2(Path dir, long hostMemory) {
        return new CgroupStats.Memory(
                readLong(dir.resolve("memory.current")),
                null,
                null,
                capAtHost(readLong(dir.resolve("memory.max")), hostMemory),
                keyValues(dir.resolve("memory.stat")));
    }

    /** Docker shows an unlimited container's limit as the machine's memory. */
    private static long capAtHost(long limit, long hostMemory) {
        return hostMemory > 0 && (limit <= 0 || limit > hostMemory) ? hostMemory : limit;
    }

    private static CgroupStats.Cpu cpuV1(Path cpuacct, Path cpu) {
        Map<String, Long> ticks = keyValues(cpuacct.resolve("cpuacct.stat"));
        Map<String, Long> bandwidth = keyValues(cpu.resolve("cpu.stat"));
        List<Long> perCpu = new ArrayList<>();
        for (String value : read(cpuacct.resolve("cpuacct.usage_percpu")).trim().split("\\s+")) {
            if (!value.isEmpty()) {
                perCpu.add(Long.parseLong(value));
            }
        }
        return new CgroupStats.Cpu(
                readLong(cpuacct.resolve("cpuacct.usage")),
                perCpu,
                ticks.getOrDefault("system", 0L) * NANOS_PER_TICK,
                ticks.getOrDefault("user", 0L) * NANOS_PER_TICK,
                bandwidth.getOrDefault("nr_periods", 0L),
                bandwidth.getOrDefault("nr_throttled", 0L),
                bandwidth.getOrDefault("throttled_time", 0L));
    }

    private static CgroupStats.Cpu cpuV2(Path dir) {
        Map<String, Long> stat = keyValues(dir.resolve("cpu.stat"));
        return new CgroupStats.Cpu(
                stat.getOrDefault("usage_usec", 0L) * 1000,
                List.of(),
                stat.getOrDefault("system_usec", 0L) * 1000,
                stat.getOrDefault("user_usec", 0L) * 1000,
                stat.getOrDefault("nr_periods", 0L),
                stat.getOrDefault("nr_throttled", 0L),
                stat.getOrDefault("throttled_usec", 0L) * 1000);
    }

    /** pids.current/pids.max have the same format on v1 and v2; "max" means no limit (0). */
    private static CgroupStats.Pids pids(Path dir) {
        return new CgroupStats.Pids(readLong(dir.resolve("pids.current")), readLong(dir.resolve("pids.max")));
    }

    /** Lines "8:0 Read 4096"; the trailing "Total N" line has no device and is skipped. */
    private static List<BlkioEntry> blkioV1(Path dir) {
        Path file = dir.resolve("blkio.throttle.io_service_bytes_recursive");
        if (!Files.exists(file)) {
            file = dir.resolve("blkio.throttle.io_service_bytes");
        }
        List<BlkioEntry> entries = new ArrayList<>();
        for (String line : read(file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].contains(":")) {
                String[] device = f[0].split(":");
                entries.add(new BlkioEntry(Long.parseLong(device[0]), Long.parseLong(device[1]), f[1], Long.parseLong(f[2])));
            }
        }
        return entries;
    }

    /** Lines "8:0 rbytes=1 wbytes=2 rios=3 ..."; Docker reports rbytes/wbytes as "read"/"write". */
    private static List<BlkioEntry> ioV2(Path dir) {
        List<BlkioEntry> entries = new ArrayList<>();
        for (String line : read(dir.resolve("io.stat")).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !f[0].contains(":")) {
                continue;
            }
            String[] device = f[0].split(":");
            Map<String, Long> values = new LinkedHashMap<>();
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                if (kv.length == 2) {
                    values.put(kv[0], parseCounter(kv[1]));
                }
            }
            long major = Long.parseLong(device[0]);
            long minor = Long.parseLong(device[1]);
            entries.add(new BlkioEntry(major, minor, "read", values.getOrDefault("rbytes", 0L)));
            entries.add(new BlkioEntry(major, minor, "write", values.getOrDefault("wbytes", 0L)));
        }
        return entries;
    }

    /** Sum of the first seven fields of the "cpu" line of /proc/stat, in nanoseconds (as dockerd). */
    private long systemCpuNanos() {
        for (String line : read(hostRoot.resolve("proc/stat")).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("cpu") && f.length >= 8) {
                long ticks = 0;
                for (int i = 1; i <= 7; i++) {
                    ticks += Long.parseLong(f[i]);
                }
                return ticks * NANOS_PER_TICK;
            }
        }
        return 0;
    }

    /** Counts a CPU list such as "0-3,5" from /sys/devices/system/cpu/online. */
    private int onlineCpus() {
        String list = read(hostRoot.resolve("sys/devices/system/cpu/online")).trim();
        int count = 0;
        for (String range : list.split(",")) {
            if (range.isEmpty()) {
                continue;
            }
            String[] bounds = range.split("-");
            count += bounds.length == 2 ? Integer.parseInt(bounds[1]) - Integer.parseInt(bounds[0]) + 1 : 1;
        }
        return count > 0 ? count : Runtime.getRuntime().availableProcessors();
    }

    private long hostMemoryBytes() {
        for (String line : read(hostRoot.resolve("proc/meminfo")).split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String[] f = line.split("\\s+");
                return Long.parseLong(f[1]) * 1024;
            }
        }
        return 0;
    }

    /** "key value" lines (memory.stat, cpu.stat, cpuacct.stat). */
    private static Map<String, Long> keyValues(Path file) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                values.put(f[0], parseCounter(f[1]));
            }
        }
        return values;
    }

    /** A single-number file; "max" (unlimited) and a missing file read as 0. */
    private static long readLong(Path file) {
        String text = read(file).trim();
        return text.isEmpty() ? 0 : parseCounter(text);
    }

    private static long parseCounter(String text) {
        if (text.equals("max")) {
            return 0;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            // Counters are u64; values past Long.MAX_VALUE only occur for "no limit".
            return 0;
        }
    }

    private static String read(Path file) {
        try {
            return ProcFiles.read(file);
        } catch (IOException e) {
            // Missing, or a cgroup removed while reading (ENODEV): to a stats client both are zeros.
            return "";
        }
    }
}
