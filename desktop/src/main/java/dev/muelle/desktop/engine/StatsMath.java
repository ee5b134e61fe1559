package dev.muelle.desktop.engine;

import com.github.dockerjava.api.model.BlkioStatEntry;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.StatisticNetworksConfig;
import com.github.dockerjava.api.model.Statistics;

import java.util.List;
import java.util.Map;

/**
 * Reduces the engine's stats JSON to a {@link StatsSample} with the same arithmetic as the docker
 * CLI ({@code cli/command/container/stats_helpers.go}): CPU from the delta to the previous reading,
 * memory without the page cache, I/O summed over interfaces and devices.
 */
final class StatsMath {

    private StatsMath() {
    }

    static StatsSample sample(Statistics s) {
        return new StatsSample(cpuPercent(s.getCpuStats(), s.getPreCpuStats()), memoryUsage(s.getMemoryStats()),
                s.getMemoryStats() == null || s.getMemoryStats().getLimit() == null ? 0 : s.getMemoryStats().getLimit(),
                network(s.getNetworks(), true), network(s.getNetworks(), false),
                blockIo(s, "read"), blockIo(s, "write"));
    }

    static double cpuPercent(CpuStatsConfig now, CpuStatsConfig before) {
        if (now == null || before == null || now.getCpuUsage() == null || before.getCpuUsage() == null) {
            return 0;
        }
        long cpuDelta = value(now.getCpuUsage().getTotalUsage()) - value(before.getCpuUsage().getTotalUsage());
        long systemDelta = value(now.getSystemCpuUsage()) - value(before.getSystemCpuUsage());
        long cpus = value(now.getOnlineCpus());
        if (cpus == 0 && now.getCpuUsage().getPercpuUsage() != null) {
            cpus = now.getCpuUsage().getPercpuUsage().size();
        }
        if (cpuDelta <= 0 || systemDelta <= 0) {
            return 0;
        }
        return (double) cpuDelta / systemDelta * Math.max(1, cpus) * 100.0;
    }

    /** As the CLI: usage minus inactive file pages (cgroup v1 "total_inactive_file", v2 "inactive_file"). */
    static long memoryUsage(MemoryStatsConfig memory) {
        if (memory == null || memory.getUsage() == null) {
            return 0;
        }
        long usage = memory.getUsage();
        if (memory.getStats() != null) {
            Long inactive = memory.getStats().getTotalInactiveFile();
            if (inactive == null) {
                inactive = memory.getStats().getInactiveFile();
            }
            if (inactive != null && inactive < usage) {
                usage -= inactive;
            }
        }
        return usage;
    }

    private static long network(Map<String, StatisticNetworksConfig> networks, boolean received) {
        if (networks == null) {
            return 0;
        }
        long sum = 0;
        for (StatisticNetworksConfig n : networks.values()) {
            sum += value(received ? n.getRxBytes() : n.getTxBytes());
        }
        return sum;
    }

    private static long blockIo(Statistics s, String op) {
        if (s.getBlkioStats() == null) {
            return 0;
        }
        List<BlkioStatEntry> entries = s.getBlkioStats().getIoServiceBytesRecursive();
        if (entries == null) {
            return 0;
        }
        long sum = 0;
        for (BlkioStatEntry e : entries) {
            if (e.getOp() != null && e.getOp().equalsIgnoreCase(op)) {
                sum += value(e.getValue());
            }
        }
        return sum;
    }

    private static long value(Long v) {
        return v == null ? 0 : v;
    }
}
