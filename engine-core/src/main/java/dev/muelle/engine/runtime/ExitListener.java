package dev.muelle.engine.runtime;

/** Told when conmon recorded that a container's init process ended. */
@FunctionalInterface
public interface ExitListener {

    /**
     * Called from the watcher's thread, possibly more than once for the same exit (an exit seen
     * live and again by {@link ExitWatcher#scanExisting()}), so implementations must be idempotent.
     *
     * @param exitCode  the process's exit status, 128+signal when killed by a signal
     * @param oomKilled whether the kernel's OOM killer fired in the container's cgroup
     */
    void exited(String containerId, int exitCode, boolean oomKilled);
}
