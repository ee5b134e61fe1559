package dev.muelle.desktop.engine;

/**
 * Receives the items of an engine stream on the stream's own thread, never on the UI thread.
 *
 * <p>Exactly one of {@link #onEnd} or {@link #onError} is called, once, after the last item.
 */
public interface StreamListener<T> {

    void onItem(T item);

    /** The engine closed the stream normally (the container stopped, the subscription was closed). */
    default void onEnd() {
    }

    /** The stream broke: the engine went away or refused it. */
    default void onError(EngineException error) {
    }
}
