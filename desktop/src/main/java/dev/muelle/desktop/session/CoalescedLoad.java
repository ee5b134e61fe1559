package dev.muelle.desktop.session;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.TaskExecutor;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reloads something from the engine when asked, with at most one call in flight and at most one
 * more queued behind it: a burst of events (create, attach, start ...) costs two calls, not ten.
 *
 * <p>Used on the UI thread only; the call itself runs on a worker, the callbacks on the UI thread.
 */
public final class CoalescedLoad<T> {

    private final EngineSession session;
    private final TaskExecutor tasks;
    private final String title;
    private final Function<EngineClient, T> call;
    private final BiConsumer<T, EngineClient> onLoaded;
    private final Consumer<Exception> onFailure;
    private boolean inFlight;
    private boolean again;

    /**
     * @param onLoaded gets the result and the client it came from
     */
    public CoalescedLoad(EngineSession session, TaskExecutor tasks, String title, Function<EngineClient, T> call,
                         BiConsumer<T, EngineClient> onLoaded, Consumer<Exception> onFailure) {
        this.session = session;
        this.tasks = tasks;
        this.title = title;
        this.call = call;
        this.onLoaded = onLoaded;
        this.onFailure = onFailure;
    }

    /** Load now, or right after the load in flight. Does nothing while no engine is connected. */
    public void request() {
        EngineClient client = session.client();
        if (client == null) {
            return;
        }
        if (inFlight) {
            again = true;
            return;
        }
        inFlight = true;
        BackgroundTask.wrap(() -> call.apply(client)).withTitle(title)
                .onSuccess(result -> {
                    if (session.client() == client) {
                        onLoaded.accept(result, client);
                    }
                })
                .onFailure(onFailure)
                .onFinished(() -> {
                    inFlight = false;
                    if (again) {
                        again = false;
                        request();
                    }
                })
                .executeWith(tasks);
    }
}
