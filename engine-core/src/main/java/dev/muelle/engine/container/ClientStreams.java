package dev.muelle.engine.container;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A client's side of an attach or exec session, independent of HTTP: what the client types
 * ({@code in}, ends when it half-closes) and where the container's output goes.
 */
public interface ClientStreams {
    InputStream in();

    OutputStream out();

    /** Output is over: the client sees EOF. */
    void closeOutput();
}
