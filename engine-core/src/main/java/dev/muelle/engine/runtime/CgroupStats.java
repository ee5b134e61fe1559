package dev.muelle.engine.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One sample of a container's cgroup counters plus the host CPU figures needed to turn two
 * samples into a CPU percentage, in the units Docker's stats API uses (bytes, nanoseconds).
 * Read by {@link CgroupStatsReader} from cgroup v1 or v2 files; a counter a hierarchy does not
 * offer is 0, and a value Docker omits on that version is null.
 *
 * @param read when the sample was taken
 * @param systemCpuNanos the host's total CPU time since boot from /proc/stat, as Docker sums it
 * @param onlineCpus CPUs the host has online
 */
public record CgroupStats(
        Instant read,
        Memory memory,
        Cpu cpu,
        Pids pids,
        List<BlkioEntry> ioServiceBytes,
        long systemCpuNanos,
        int onlineCpus) {

    public CgroupStats {
        ioServiceBytes = List.copyOf(ioServiceBytes);
    }

    /**
     * Memory use. {@code limit} is never above the host's memory (Docker reports an unlimited
     * container's limit as the machine's total). {@code maxUsage} and {@code failcnt} exist on
     * cgroup v1 only (null on v2). {@code stats} is memory.stat as read: on v1 it has
     * "total_inactive_file", on v2 "inactive_file", which the docker CLI subtracts from usage.
     */
    public record Memory(long usage, Long maxUsage, Long failcnt, long limit, Map<String, Long> stats) {
        public Memory {
            stats = Map.copyOf(stats);
        }
    }

    /**
     * CPU time used by the container, in nanoseconds; {@code perCpuNanos} only on cgroup v1
     * (empty on v2); throttling from the CFS bandwidth controller.
     */
    public record Cpu(
            long totalNanos,
            List<Long> perCpuNanos,
            long kernelNanos,
            long userNanos,
            long periods,
            long throttledPeriods,
            long throttledNanos) {

        public Cpu {
            perCpuNanos = List.copyOf(perCpuNanos);
        }
    }

    /** Number of tasks and the pids limit (0 when unlimited, as Docker omits it then). */
    public record Pids(long current, long limit) {
    }

    /** One block-IO counter: bytes of operation {@code op} on device major:minor. */
    public record BlkioEntry(long major, long minor, String op, long value) {
    }
}
