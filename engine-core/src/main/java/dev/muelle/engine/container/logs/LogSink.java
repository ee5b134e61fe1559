package dev.muelle.engine.container.logs;

import dev.muelle.engine.runtime.StdStream;

import java.io.IOException;

/** Receives a container's log one line at a time, in the order the container wrote them. */
@FunctionalInterface
public interface LogSink {

    /**
     * @param timestampNanos when conmon read the line's last piece (epoch nanoseconds)
     * @param line           the line's bytes with its newline restored; no newline if the
     *                       container never ended it (its last output, or a prompt)
     * @throws IOException   to stop reading, e.g. when the client went away
     */
    void accept(StdStream stream, long timestampNanos, byte[] line) throws IOException;
}
