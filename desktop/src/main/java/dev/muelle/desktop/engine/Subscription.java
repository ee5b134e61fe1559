package dev.muelle.desktop.engine;

/**
 * A running stream from the engine (events, logs, stats). Closing it ends the stream and frees its
 * connection; closing twice is harmless.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
