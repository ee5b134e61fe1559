package dev.muelle.desktop.engine;

/**
 * One reading of a container's resource use, already reduced to what the charts show.
 *
 * <p>CPU percent is computed the way {@code docker stats} does: container CPU time delta over
 * system CPU time delta, times the number of online CPUs (so 200 % means two full cores). Network
 * and block I/O figures are counters since the container started.
 */
public record StatsSample(double cpuPercent, long memoryUsage, long memoryLimit, long networkRx, long networkTx,
                          long blockRead, long blockWrite) {

    public double memoryPercent() {
        return memoryLimit <= 0 ? 0 : 100.0 * memoryUsage / memoryLimit;
    }
}
