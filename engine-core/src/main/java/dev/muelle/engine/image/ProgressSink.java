package dev.muelle.engine.image;

/**
 * Where a pull, push or load reports progress. Called from several threads (parallel
 * downloads), one event at a time per call; an implementation that cannot deliver (the client is
 * gone) throws, which aborts the operation without leaving a half-written image behind.
 */
@FunctionalInterface
public interface ProgressSink {

    ProgressSink NONE = p -> { };

    void report(Progress progress);
}
