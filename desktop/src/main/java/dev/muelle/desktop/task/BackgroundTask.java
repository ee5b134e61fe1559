package dev.muelle.desktop.task;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * A piece of work that must not run on the UI thread, with callbacks that must.
 *
 * <p>Lifecycle: {@code onRunning} (UI thread) → the work (worker thread) → {@code onSuccess} or
 * {@code onFailure} (UI thread) → {@code onFinished} (UI thread). A failure is never swallowed:
 * without an {@code onFailure} callback it goes to the executor's {@link Notifier}.
 */
public final class BackgroundTask<T> {

    /** Work that returns nothing but may throw. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private final Callable<T> work;
    private String title = "";
    private Runnable onRunning = () -> { };
    private Consumer<T> onSuccess = result -> { };
    private Consumer<Exception> onFailure;
    private Runnable onFinished = () -> { };

    private BackgroundTask(Callable<T> work) {
        this.work = work;
    }

    public static <T> BackgroundTask<T> wrap(Callable<T> work) {
        return new BackgroundTask<>(work);
    }

    public static BackgroundTask<Void> wrap(Work work) {
        return new BackgroundTask<>(() -> {
            work.run();
            return null;
        });
    }

    /** What the task does, for notifications and logs ("Stop web-1"). */
    public BackgroundTask<T> withTitle(String title) {
        this.title = title;
        return this;
    }

    public BackgroundTask<T> onRunning(Runnable callback) {
        this.onRunning = callback;
        return this;
    }

    public BackgroundTask<T> onSuccess(Consumer<T> callback) {
        this.onSuccess = callback;
        return this;
    }

    public BackgroundTask<T> onFailure(Consumer<Exception> callback) {
        this.onFailure = callback;
        return this;
    }

    public BackgroundTask<T> onFinished(Runnable callback) {
        this.onFinished = callback;
        return this;
    }

    public String title() {
        return title;
    }

    public void executeWith(TaskExecutor executor) {
        executor.execute(this);
    }

    /**
     * The whole lifecycle as one runnable for a worker thread; callbacks are posted through
     * {@code ui}. Failures without a callback go to {@code fallback}.
     */
    Runnable lifecycle(java.util.concurrent.Executor ui, Notifier fallback) {
        return () -> {
            ui.execute(onRunning);
            T result;
            try {
                result = work.call();
            } catch (Exception e) {
                ui.execute(() -> {
                    try {
                        if (onFailure != null) {
                            onFailure.accept(e);
                        } else {
                            fallback.error(title.isEmpty() ? "Action failed" : title + " failed", Notifier.plainMessage(e));
                        }
                    } finally {
                        onFinished.run();
                    }
                });
                return;
            }
            ui.execute(() -> {
                try {
                    onSuccess.accept(result);
                } finally {
                    onFinished.run();
                }
            });
        };
    }
}
