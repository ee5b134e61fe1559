package dev.muelle.desktop.engine;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * An interactive process started by exec with a TTY: bytes typed go to {@link #input}, the
 * terminal's output comes from {@link #output}. The session ends when the process exits or
 * {@link #close} is called; after that {@code output} reaches end of stream.
 */
public interface ExecSession extends AutoCloseable {

    InputStream output();

    OutputStream input();

    /** Tell the process its terminal now has this many columns and rows (SIGWINCH inside). */
    void resize(int columns, int rows);

    @Override
    void close();
}
