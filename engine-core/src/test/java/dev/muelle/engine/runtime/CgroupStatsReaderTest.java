package dev.muelle.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.muelle.engine.runtime.CgroupStats.BlkioEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fake host trees whose files copy the kernel's formats (samples taken from real hosts). */
class CgroupStatsReaderTest {

    static final Instant NOW = Instant.parse("2026-11-27T23:00:00.123456789Z");
    private static final String CGROUP = "/muelle/abc";

    @TempDir
    Path host;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @BeforeEach
    void hostFiles() throws IOException {
        write("proc/stat", """
                cpu  35631 0 5671 155135 361 0 197 34 0 0
                cpu0 17800 0 2800 77500 180 0 100 17 0 0
                intr 123 0 0
                """);
        write("proc/meminfo", "MemTotal:       24684092 kB\nMemFree:        22718944 kB\n");
        write("sys/devices/system/cpu/online", "0-1\n");
    }

    @Test
    void readsCgroupV1Controllers() throws IOException {
        writeV1Container();
        CgroupStats stats = new CgroupStatsReader(CgroupMode.HYBRID, host, clock).read(CGROUP);

        assertThat(stats.read()).isEqualTo(NOW);
        assertThat(stats.memory().usage()).isEqualTo(9_437_184);
        assertThat(stats.memory().maxUsage()).isEqualTo(12_000_000);
        assertThat(stats.memory().failcnt()).isEqualTo(3);
        assertThat(stats.memory().limit()).isEqualTo(67_108_864);
        assertThat(stats.memory().stats()).containsEntry("total_inactive_file", 4_096_000L).containsEntry("cache", 5_000_000L);
        assertThat(stats.cpu().totalNanos()).isEqualTo(418_843_517_891L);
        assertThat(stats.cpu().perCpuNanos()).containsExactly(207_679_143_376L, 211_164_374_515L);
        assertThat(stats.cpu().userNanos()).isEqualTo(359_600_000_000L);
        assertThat(stats.cpu().kernelNanos()).isEqualTo(59_230_000_000L);
        assertThat(stats.cpu().periods()).isEqualTo(120);
        assertThat(stats.cpu().throttledPeriods()).isEqualTo(7);
        assertThat(stats.cpu().throttledNanos()).isEqualTo(5_000_000);
        assertThat(stats.pids()).isEqualTo(new CgroupStats.Pids(4, 100));
        assertThat(stats.ioServiceBytes()).containsExactly(
                new BlkioEntry(8, 0, "Read", 4096), new BlkioEntry(8, 0, "Write", 8192), new BlkioEntry(8, 0, "Sync", 12288),
                new BlkioEntry(8, 0, "Async", 0), new BlkioEntry(8, 0, "Discard", 0), new BlkioEntry(8, 0, "Total", 12288));
        // (35631 + 0 + 5671 + 155135 + 361 + 0 + 197) ticks of 10 ms
        assertThat(stats.systemCpuNanos()).isEqualTo(196_995L * 10_000_000L);
        assertThat(stats.onlineCpus()).isEqualTo(2);
    }

    @Test
    void unlimitedV1MemoryAndPidsReportTheHostsMemoryAndNoPidsLimit() throws IOException {
        writeV1Container();
        write("sys/fs/cgroup/memory" + CGROUP + "/memory.limit_in_bytes", "9223372036854771712\n");
        write("sys/fs/cgroup/pids" + CGROUP + "/pids.max", "max\n");
        CgroupStats stats = new CgroupStatsReader(CgroupMode.LEGACY, host, clock).read(CGROUP);
        assertThat(stats.memory().limit()).isEqualTo(24_684_092L * 1024);
        assertThat(stats.pids().limit()).isZero();
    }

    @Test
    void readsCgroupV2UnifiedFiles() throws IOException {
        Path dir = host.resolve("sys/fs/cgroup" + CGROUP);
        write(dir, "memory.current", "9437184\n");
        write(dir, "memory.max", "max\n");
        write(dir, "memory.stat", """
                anon 3203072
                file 5799936
                kernel 475136
                inactive_anon 3182592
                active_anon 20480
                inactive_file 2048000
                active_file 3751936
                pgfault 2190
                """);
        write(dir, "cpu.stat", """
                usage_usec 1264093
                user_usec 1049125
                system_usec 214968
                core_sched.force_idle_usec 0
                nr_periods 50
                nr_throttled 2
                throttled_usec 31337
                nr_bursts 0
                burst_usec 0
                """);
        write(dir, "pids.current", "2\n");
        write(dir, "pids.max", "100\n");
        write(dir, "io.stat", "253:0 rbytes=1048576 wbytes=4096 rios=12 wios=1 dbytes=0 dios=0\n8:16 rbytes=0 wbytes=512 rios=0 wios=1 dbytes=0 dios=0\n");

        CgroupStats stats = new CgroupStatsReader(CgroupMode.UNIFIED, host, clock).read(CGROUP);

        assertThat(stats.memory().usage()).isEqualTo(9_437_184);
        assertThat(stats.memory().limit()).isEqualTo(24_684_092L * 1024);
        assertThat(stats.memory().maxUsage()).isNull();
        assertThat(stats.memory().failcnt()).isNull();
        assertThat(stats.memory().stats()).containsEntry("inactive_file", 2_048_000L).doesNotContainKey("total_inactive_file");
        assertThat(stats.cpu().totalNanos()).isEqualTo(1_264_093_000L);
        assertThat(stats.cpu().userNanos()).isEqualTo(1_049_125_000L);
        assertThat(stats.cpu().kernelNanos()).isEqualTo(214_968_000L);
        assertThat(stats.cpu().perCpuNanos()).isEmpty();
        assertThat(stats.cpu().throttledNanos()).isEqualTo(31_337_000L);
        assertThat(stats.pids()).isEqualTo(new CgroupStats.Pids(2, 100));
        assertThat(stats.ioServiceBytes()).containsExactly(
                new BlkioEntry(253, 0, "read", 1_048_576), new BlkioEntry(253, 0, "write", 4096),
                new BlkioEntry(8, 16, "read", 0), new BlkioEntry(8, 16, "write", 512));
    }

    @Test
    void aVanishedCgroupReadsAsZeros() {
        CgroupStats stats = new CgroupStatsReader(CgroupMode.HYBRID, host, clock).read("/muelle/gone");
        assertThat(stats.memory().usage()).isZero();
        assertThat(stats.cpu().totalNanos()).isZero();
        assertThat(stats.ioServiceBytes()).isEmpty();
        assertThat(stats.systemCpuNanos()).isPositive();
    }

    @Test
    void readsThisHostsOwnCgroupRoot() {
        // The root cgroup always exists; on v1 its counters are real and non-zero.
        CgroupStats stats = CgroupStatsReader.forThisHost().read("/");
        assertThat(stats.onlineCpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(stats.systemCpuNanos()).isPositive();
        if (CgroupMode.detect().usesV1Controllers()) {
            assertThat(stats.memory().usage()).isPositive();
            assertThat(stats.cpu().perCpuNanos()).hasSize(stats.onlineCpus());
        }
    }

    private void writeV1Container() throws IOException {
        Path memory = host.resolve("sys/fs/cgroup/memory" + CGROUP);
        write(memory, "memory.usage_in_bytes", "9437184\n");
        write(memory, "memory.max_usage_in_bytes", "12000000\n");
        write(memory, "memory.failcnt", "3\n");
        write(memory, "memory.limit_in_bytes", "67108864\n");
        write(memory, "memory.stat", """
                cache 5000000
                rss 3000000
                inactive_file 4096000
                hierarchical_memory_limit 67108864
                total_cache 5000000
                total_rss 3000000
                total_inactive_file 4096000
                """);
        Path cpuacct = host.resolve("sys/fs/cgroup/cpuacct" + CGROUP);
        write(cpuacct, "cpuacct.usage", "418843517891\n");
        write(cpuacct, "cpuacct.usage_percpu", "207679143376 211164374515 \n");
        write(cpuacct, "cpuacct.stat", "user 35960\nsystem 5923\n");
        write(host.resolve("sys/fs/cgroup/cpu" + CGROUP), "cpu.stat",
                "nr_periods 120\nnr_throttled 7\nthrottled_time 5000000\nnr_bursts 0\nburst_time 0\n");
        Path pids = host.resolve("sys/fs/cgroup/pids" + CGROUP);
        write(pids, "pids.current", "4\n");
        write(pids, "pids.max", "100\n");
        write(host.resolve("sys/fs/cgroup/blkio" + CGROUP), "blkio.throttle.io_service_bytes", """
                8:0 Read 4096
                8:0 Write 8192
                8:0 Sync 12288
                8:0 Async 0
                8:0 Discard 0
                8:0 Total 12288
                Total 12288
                """);
    }

    private void write(String relative, String content) throws IOException {
        write(host, relative, content);
    }

    private static void write(Path dir, String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
