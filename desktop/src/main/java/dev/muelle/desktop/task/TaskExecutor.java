package dev.muelle.desktop.task;

/**
 * Runs {@link BackgroundTask}s off the UI thread and posts work back onto it.
 *
 * <p>View-models hold one of these instead of touching threads or the toolkit: in the app it is a
 * {@link WorkerTaskExecutor} over {@code Platform::runLater}; in view-model tests everything runs
 * inline, in order.
 */
public interface TaskExecutor {

    <T> void execute(BackgroundTask<T> task);

    /** Run {@code action} on the UI thread (soon, in order with other posted actions). */
    void runOnUi(Runnable action);

    /** Stop accepting work; running tasks finish on their own. */
    void shutdown();
}
