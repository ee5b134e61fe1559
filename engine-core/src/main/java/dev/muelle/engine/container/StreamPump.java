package dev.muelle.engine.container;

import dev.muelle.engine.container.logs.StdStreamFrames;
import dev.muelle.engine.runtime.AttachConnection;
import dev.muelle.engine.runtime.StdStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Copies between a client and a container's attach connection until the container's output
 * ends or the client detaches, with dockerd's rules: without a TTY output is framed with the
 * 8-byte stream header; the detach keys end the session without touching the container; when
 * the client's stdin ends, a non-TTY {@code StdinOnce} container gets EOF on its stdin, any
 * other container keeps its stdin and the session ends.
 *
 * <p>A session ends in one of two ways: the container's output ends (its process is done with
 * it), or the client ends it (detach keys, stdin EOF that does not reach the container, or a
 * client gone away). Only in the first case does the caller's {@code whenOutputEnds} run, before
 * the client sees EOF: dockerd ends an exec stream only after the exec's exit code is recorded,
 * and the docker CLI asks for that code the moment its stream ends.
 */
final class StreamPump {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPump.class);

    record Options(boolean tty, boolean stdin, boolean stdout, boolean stderr, boolean closeStdinAtEof,
                   byte[] detachKeys) {
    }

    private StreamPump() {
    }

    /** Blocks until the session is over. */
    static void run(AttachConnection conn, ClientStreams client, Options o) {
        run(conn, client, o, () -> { });
    }

    /**
     * Blocks until the session is over; when it ended because the container's output ended,
     * {@code whenOutputEnds} runs before the client's output is closed.
     *
     * @return true when the container's output ended, false when the client ended the session
     */
    static boolean run(AttachConnection conn, ClientStreams client, Options o, Runnable whenOutputEnds) {
        AtomicBoolean clientEnded = new AtomicBoolean();
        boolean outputEnded = false;
        Thread input = null;
        if (o.stdin()) {
            input = new Thread(() -> copyStdin(conn, client, o, clientEnded), "attach-stdin");
            input.setDaemon(true);
            input.start();
        }
        try {
            OutputStream out = client.out();
            AttachConnection.Frame f;
            while ((f = conn.read()) != null) {
                if (f.stream() == StdStream.STDOUT && !o.stdout() || f.stream() == StdStream.STDERR && !o.stderr()) {
                    continue;
                }
                if (!o.tty()) {
                    out.write(StdStreamFrames.header(f.stream(), f.data().length));
                }
                out.write(f.data());
                out.flush();
            }
            // A connection closed by the stdin side reads as the end of output too.
            outputEnded = !clientEnded.get();
        } catch (IOException e) {
            LOG.debug("attach session ended: {}", e.getMessage());
        } finally {
            conn.close();
            try {
                if (outputEnded) {
                    whenOutputEnds.run();
                }
            } finally {
                client.closeOutput();
                if (input != null) {
                    input.interrupt();
                }
            }
        }
        return outputEnded;
    }

    private static void copyStdin(AttachConnection conn, ClientStreams client, Options o, AtomicBoolean clientEnded) {
        byte[] keys = o.detachKeys();
        byte[] buf = new byte[8192];
        int matched = 0;
        try {
            int n;
            while ((n = client.in().read(buf)) >= 0) {
                byte[] pending = new byte[n + matched];
                int len = 0;
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (keys.length > 0 && b == keys[matched]) {
                        matched++;
                        if (matched == keys.length) {
                            if (len > 0) {
                                conn.writeStdin(pending, 0, len);
                            }
                            LOG.debug("client detached with its escape sequence");
                            clientEnded.set(true);
                            conn.close();
                            return;
                        }
                        continue;
                    }
                    if (matched > 0) {
                        System.arraycopy(keys, 0, pending, len, matched);
                        len += matched;
                        matched = 0;
                    }
                    pending[len++] = b;
                }
                if (len > 0) {
                    conn.writeStdin(Arrays.copyOf(pending, len), 0, len);
                }
            }
            if (o.closeStdinAtEof()) {
                conn.closeStdin();
            } else {
                clientEnded.set(true);
                conn.close();
            }
        } catch (IOException e) {
            LOG.debug("stdin copy ended: {}", e.getMessage());
        }
    }
}
