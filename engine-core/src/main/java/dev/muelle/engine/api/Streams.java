package dev.muelle.engine.api;

import dev.muelle.engine.container.ClientStreams;
import dev.muelle.engine.container.ContainerIO;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Adapts a hijacked connection to the services' view of a client. */
final class Streams {

    private Streams() {
    }

    static ClientStreams of(Hijacked h) {
        return new HijackedClient(h);
    }

    private record HijackedClient(Hijacked h) implements ClientStreams, ContainerIO.Liveness {
        @Override
        public InputStream in() {
            return h.in();
        }

        @Override
        public OutputStream out() {
            return h.out();
        }

        @Override
        public void closeOutput() {
            h.closeWrite();
        }

        @Override
        public boolean alive() {
            return h.isOpen();
        }
    }

    /** Content types dockerd uses for attach/exec streams. */
    static String rawStreamType(boolean tty) {
        return tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
    }

    static void closeQuietly(OutputStream out) {
        try {
            out.flush();
        } catch (IOException ignored) {
            // client gone
        }
    }
}
