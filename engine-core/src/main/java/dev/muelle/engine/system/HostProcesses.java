package dev.muelle.engine.system;

import java.util.concurrent.Semaphore;

/**
 * Bounds how many short-lived host commands (runc, netavark, iptables, umount) run at once. Every
 * running child holds one of the JDK's "process reaper" threads, and an idle reaper lingers for
 * 60 s: twenty parallel {@code docker rm -f} left eleven of them in an idle engine (bench/run's
 * idle RSS). Four at a time keep both cores busy.
 *
 * <p>Only for commands that end on their own and never wait for another host command while
 * holding a slot (that could deadlock); conmon, which outlives the call, is not started here.
 */
public final class HostProcesses {

    private static final Semaphore SLOTS = new Semaphore(4, true);

    private HostProcesses() {
    }

    /** Waits for a slot; the caller releases it with {@link #release()} in a {@code finally}. */
    public static void acquire() {
        SLOTS.acquireUninterruptibly();
    }

    public static void release() {
        SLOTS.release();
    }
}
