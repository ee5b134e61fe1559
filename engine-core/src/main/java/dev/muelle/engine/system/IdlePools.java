package dev.muelle.engine.system;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread pools whose threads end a few seconds after they fall idle, so that an idle engine keeps
 * no spare threads (each costs stack and malloc memory: bench/run's idle RSS). Threads are daemons
 * named {@code name-N}.
 */
public final class IdlePools {

    private static final long KEEP_ALIVE_SECONDS = 3;

    private IdlePools() {
    }

    /** As {@link java.util.concurrent.Executors#newCachedThreadPool}: a thread per concurrent task. */
    public static ExecutorService unbounded(String name) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), named(name));
    }

    /** One thread at most; tasks queue in order. */
    public static ExecutorService single(String name) {
        return new ThreadPoolExecutor(0, 1, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                named(name));
    }

    /**
     * One thread for delayed and periodic tasks (restart back-offs, health checks) that ends when
     * nothing is scheduled and comes back with the next task.
     */
    public static ScheduledExecutorService scheduled(String name) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, named(name));
        pool.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    public static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
