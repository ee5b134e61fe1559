package dev.muelle.desktop.task;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TaskExecutor} with a pool of daemon worker threads that grows on demand and shrinks when
 * idle (so an idle app keeps no busy threads), posting callbacks through a given UI executor.
 */
public final class WorkerTaskExecutor implements TaskExecutor {

    private final Executor ui;
    private final Notifier notifier;
    private final Executor workers;

    /**
     * @param ui posts a runnable to the UI thread ({@code Platform::runLater} in the app)
     * @param notifier where failures without their own callback are shown
     */
    public WorkerTaskExecutor(Executor ui, Notifier notifier) {
        this(ui, daemonPool(), notifier);
    }

    /**
     * With the workers given: view-model tests pass {@code Runnable::run} for both, so work and
     * callbacks run at once, in order, on the test's thread.
     */
    public WorkerTaskExecutor(Executor ui, Executor workers, Notifier notifier) {
        this.ui = ui;
        this.workers = workers;
        this.notifier = notifier;
    }

    private static ExecutorService daemonPool() {
        AtomicInteger count = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "engine-call-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public <T> void execute(BackgroundTask<T> task) {
        workers.execute(task.lifecycle(ui, notifier));
    }

    @Override
    public void runOnUi(Runnable action) {
        ui.execute(action);
    }

    @Override
    public void shutdown() {
        if (workers instanceof ExecutorService pool) {
            pool.shutdown();
        }
    }
}
