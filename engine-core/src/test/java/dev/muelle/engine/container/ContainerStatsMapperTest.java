package dev.muelle.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.runtime.CgroupStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerStatsMapperTest {

    private static final Instant T0 = Instant.parse("2026-11-27T23:00:00.100Z");
    private static final Instant T1 = Instant.parse("2026-11-27T23:00:01.100Z");

    private static CgroupStats v1Sample(Instant read, long cpuNanos, long systemNanos) {
        return new CgroupStats(read,
                new CgroupStats.Memory(20L << 20, 30L << 20, 0L, 64L << 20,
                        Map.of("total_inactive_file", 4L << 20, "cache", 6L << 20)),
                new CgroupStats.Cpu(cpuNanos, List.of(cpuNanos / 2, cpuNanos / 2), 100, 200, 10, 1, 999),
                new CgroupStats.Pids(3, 0),
                List.of(new CgroupStats.BlkioEntry(8, 0, "Read", 4096)),
                systemNanos, 2);
    }

    @Test
    void cliCpuAndMemoryFormulasGiveTheExpectedFigures() {
        // 0.5 s of container CPU over 2 s of host CPU time on 2 CPUs = 50 %.
        ObjectNode stats = ContainerStatsMapper.toDockerStats("abc123", "/web",
                v1Sample(T1, 1_500_000_000L, 12_000_000_000L), v1Sample(T0, 1_000_000_000L, 10_000_000_000L), null);

        double cpuDelta = stats.at("/cpu_stats/cpu_usage/total_usage").asDouble() - stats.at("/precpu_stats/cpu_usage/total_usage").asDouble();
        double systemDelta = stats.at("/cpu_stats/system_cpu_usage").asDouble() - stats.at("/precpu_stats/system_cpu_usage").asDouble();
        assertThat(cpuDelta / systemDelta * stats.at("/cpu_stats/online_cpus").asInt() * 100).isEqualTo(50.0);

        JsonNode memory = stats.get("memory_stats");
        long used = memory.get("usage").asLong() - memory.at("/stats/total_inactive_file").asLong();
        assertThat(used).isEqualTo(16L << 20);
        assertThat(memory.get("limit").asLong()).isEqualTo(64L << 20);
        assertThat(memory.get("max_usage").asLong()).isEqualTo(30L << 20);

        assertThat(stats.get("read").asText()).isEqualTo("2026-11-27T23:00:01.100Z");
        assertThat(stats.get("preread").asText()).isEqualTo("2026-11-27T23:00:00.100Z");
        assertThat(stats.get("name").asText()).isEqualTo("/web");
        assertThat(stats.get("id").asText()).isEqualTo("abc123");
        assertThat(stats.at("/cpu_stats/cpu_usage/percpu_usage")).hasSize(2);
        assertThat(stats.at("/cpu_stats/throttling_data").toString())
                .isEqualTo("{\"periods\":10,\"throttled_periods\":1,\"throttled_time\":999}");
        assertThat(stats.at("/pids_stats").toString()).isEqualTo("{\"current\":3}");
        assertThat(stats.at("/blkio_stats/io_service_bytes_recursive/0").toString())
                .isEqualTo("{\"major\":8,\"minor\":0,\"op\":\"Read\",\"value\":4096}");
        assertThat(stats.has("networks")).isFalse();
    }

    @Test
    void firstFrameHasZeroPrereadAndEmptyPrecpu() {
        ObjectNode networks = JsonNodeFactory.instance.objectNode();
        networks.putObject("eth0").put("rx_bytes", 5338);
        ObjectNode stats = ContainerStatsMapper.toDockerStats("abc", "/web", v1Sample(T1, 5, 10), null, networks);
        assertThat(stats.get("preread").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(stats.at("/precpu_stats/cpu_usage/total_usage").asLong()).isZero();
        assertThat(stats.at("/precpu_stats").has("system_cpu_usage")).isFalse();
        assertThat(stats.at("/networks/eth0/rx_bytes").asInt()).isEqualTo(5338);
    }

    @Test
    void cgroupV2SampleOmitsV1OnlyFields() {
        CgroupStats v2 = new CgroupStats(T1,
                new CgroupStats.Memory(8L << 20, null, null, 1L << 30, Map.of("inactive_file", 1L << 20)),
                new CgroupStats.Cpu(42, List.of(), 1, 2, 0, 0, 0),
                new CgroupStats.Pids(1, 100), List.of(), 1000, 2);
        ObjectNode stats = ContainerStatsMapper.toDockerStats("abc", "/web", v2, null, null);
        assertThat(stats.at("/memory_stats").has("max_usage")).isFalse();
        assertThat(stats.at("/memory_stats").has("failcnt")).isFalse();
        assertThat(stats.at("/memory_stats/stats/inactive_file").asLong()).isEqualTo(1L << 20);
        assertThat(stats.at("/cpu_stats/cpu_usage").has("percpu_usage")).isFalse();
        assertThat(stats.at("/pids_stats/limit").asInt()).isEqualTo(100);
        assertThat(stats.at("/blkio_stats/io_service_bytes_recursive").isNull()).isTrue();
    }
}
