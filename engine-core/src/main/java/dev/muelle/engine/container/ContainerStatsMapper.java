package dev.muelle.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.runtime.CgroupStats;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Builds the body of {@code GET /containers/{id}/stats} (one JSON object per sample) from two
 * cgroup samples, in the shape dockerd 27 sends, so that {@code docker stats} computes the
 * same figures: CPU % from the deltas of {@code cpu_usage.total_usage} and
 * {@code system_cpu_usage} between {@code precpu_stats} and {@code cpu_stats}, times
 * {@code online_cpus}; MEM USAGE as {@code usage} minus {@code total_inactive_file} (v1) or
 * {@code inactive_file} (v2) from {@code memory_stats.stats}, over {@code limit}.
 *
 * <p>Without a previous sample {@code preread} is Go's zero time and {@code precpu_stats} holds
 * zeros, as in dockerd's first frame.
 */
public final class ContainerStatsMapper {

    /** How Go's time.Time zero value marshals; the CLI checks for it. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private ContainerStatsMapper() {
    }

    /**
     * @param id the container's full id
     * @param name the container's name with Docker's leading slash ("/web")
     * @param current the newest sample
     * @param previous the sample before it, or null for the first frame
     * @param networks the {@code networks} object (interface name → counters), or null to omit
     */
    public static ObjectNode toDockerStats(String id, String name, CgroupStats current, CgroupStats previous, JsonNode networks) {
        ObjectNode stats = JsonNodeFactory.instance.objectNode();
        stats.put("read", timestamp(current.read()));
        stats.put("preread", previous == null ? ZERO_TIME : timestamp(previous.read()));
        ObjectNode pids = stats.putObject("pids_stats");
        pids.put("current", current.pids().current());
        if (current.pids().limit() > 0) {
            pids.put("limit", current.pids().limit());
        }
        stats.set("blkio_stats", blkio(current));
        stats.put("num_procs", 0);
        stats.putObject("storage_stats");
        stats.set("cpu_stats", cpu(current));
        stats.set("precpu_stats", previous == null ? emptyCpu() : cpu(previous));
        stats.set("memory_stats", memory(current.memory()));
        stats.put("name", name);
        stats.put("id", id);
        if (networks != null) {
            stats.set("networks", networks);
        }
        return stats;
    }

    private static ObjectNode blkio(CgroupStats sample) {
        ObjectNode blkio = JsonNodeFactory.instance.objectNode();
        if (sample.ioServiceBytes().isEmpty()) {
            blkio.putNull("io_service_bytes_recursive");
        } else {
            ArrayNode entries = blkio.putArray("io_service_bytes_recursive");
            for (CgroupStats.BlkioEntry e : sample.ioServiceBytes()) {
                entries.addObject().put("major", e.major()).put("minor", e.minor()).put("op", e.op()).put("value", e.value());
            }
        }
        for (String unset : new String[] {"io_serviced_recursive", "io_queue_recursive", "io_service_time_recursive",
                "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive", "sectors_recursive"}) {
            blkio.putNull(unset);
        }
        return blkio;
    }

    private static ObjectNode cpu(CgroupStats sample) {
        CgroupStats.Cpu c = sample.cpu();
        ObjectNode cpu = JsonNodeFactory.instance.objectNode();
        ObjectNode usage = cpu.putObject("cpu_usage");
        usage.put("total_usage", c.totalNanos());
        if (!c.perCpuNanos().isEmpty()) {
            ArrayNode perCpu = usage.putArray("percpu_usage");
            c.perCpuNanos().forEach(perCpu::add);
        }
        usage.put("usage_in_kernelmode", c.kernelNanos());
        usage.put("usage_in_usermode", c.userNanos());
        cpu.put("system_cpu_usage", sample.systemCpuNanos());
        cpu.put("online_cpus", sample.onlineCpus());
        throttling(cpu, c.periods(), c.throttledPeriods(), c.throttledNanos());
        return cpu;
    }

    /** dockerd's zero CpuStats: system_cpu_usage and online_cpus are omitempty, so absent. */
    private static ObjectNode emptyCpu() {
        ObjectNode cpu = JsonNodeFactory.instance.objectNode();
        cpu.putObject("cpu_usage").put("total_usage", 0).put("usage_in_kernelmode", 0).put("usage_in_usermode", 0);
        throttling(cpu, 0, 0, 0);
        return cpu;
    }

    private static void throttling(ObjectNode cpu, long periods, long throttledPeriods, long throttledTime) {
        cpu.putObject("throttling_data")
                .put("periods", periods)
                .put("throttled_periods", throttledPeriods)
                .put("throttled_time", throttledTime);
    }

    private static ObjectNode memory(CgroupStats.Memory m) {
        ObjectNode memory = JsonNodeFactory.instance.objectNode();
        memory.put("usage", m.usage());
        if (m.maxUsage() != null) {
            memory.put("max_usage", m.maxUsage());
        }
        ObjectNode stats = memory.putObject("stats");
        m.stats().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> stats.put(e.getKey(), e.getValue()));
        if (m.failcnt() != null) {
            memory.put("failcnt", m.failcnt());
        }
        memory.put("limit", m.limit());
        return memory;
    }

    private static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
