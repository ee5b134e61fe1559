package dev.muelle.engine.runtime;

import java.io.IOException;
import java.util.Arrays;

/**
 * A client connection to conmon's attach socket ({@code <socket-dir>/<key>/attach}, a
 * {@code SOCK_SEQPACKET} unix socket). Each packet conmon sends is one read of the container's
 * output prefixed by one byte naming the pipe (conmon's numbering: 2 stdout, 3 stderr); what we send
 * goes to the container's stdin (only if it was created with open stdin), and half-closing our side
 * ({@link #closeStdin()}) makes conmon close that stdin unless it was told to leave it open.
 *
 * <p>One thread may read while another writes. {@link #close()} wakes a blocked reader, which then
 * sees end of stream; the descriptor itself is released only once no call is using it any more, so
 * a late call can never touch a descriptor number the process has since reused.
 */
public final class AttachConnection implements AutoCloseable {

    /** One chunk of output as the container wrote it; not necessarily a whole line. */
    public record Frame(StdStream stream, byte[] data) {
    }

    private static final int CONMON_STDOUT = 2;
    private static final int CONMON_STDERR = 3;
    /** Conmon reads at most 8 KiB of container output at a time, plus the pipe byte. */
    private static final int PACKET_BYTES = 32 * 1024;
    /** Conmon's receive buffer per packet is 32 KiB; stay well under it. */
    private static final int MAX_STDIN_PACKET = 8 * 1024;

    private final int fd;
    private final byte[] buffer = new byte[PACKET_BYTES];
    private final Object lock = new Object();
    private int callsInProgress;
    private boolean closed;
    private boolean released;

    private AttachConnection(int fd) {
        this.fd = fd;
    }

    static AttachConnection connect(String socketPath) throws IOException {
        return new AttachConnection(Posix.connectSeqpacket(socketPath));
    }

    /** Blocks for the next output frame; null once conmon closed the connection (container gone). */
    public Frame read() throws IOException {
        if (!enter()) {
            return null;
        }
        try {
            return readFrame();
        } finally {
            leave();
        }
    }

    private Frame readFrame() throws IOException {
        while (true) {
            int n = Posix.recv(fd, buffer);
            if (n <= 0) {
                return null;
            }
            StdStream stream = switch (buffer[0]) {
                case CONMON_STDOUT -> StdStream.STDOUT;
                case CONMON_STDERR -> StdStream.STDERR;
                default -> null;
            };
            if (stream != null && n > 1) {
                return new Frame(stream, Arrays.copyOfRange(buffer, 1, n));
            }
        }
    }

    public void writeStdin(byte[] data, int offset, int length) throws IOException {
        if (!enter()) {
            throw new IOException("attach connection closed");
        }
        try {
            for (int at = offset; at < offset + length; at += MAX_STDIN_PACKET) {
                int end = Math.min(offset + length, at + MAX_STDIN_PACKET);
                Posix.send(fd, Arrays.copyOfRange(data, at, end));
            }
        } finally {
            leave();
        }
    }

    /** Signals end of input: conmon closes the container's stdin (unless told to leave it open). */
    public void closeStdin() {
        if (enter()) {
            try {
                Posix.shutdown(fd, Posix.SHUT_WR);
            } finally {
                leave();
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            Posix.shutdown(fd, Posix.SHUT_RDWR);
            releaseIfIdle();
        }
    }

    private boolean enter() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            callsInProgress++;
            return true;
        }
    }

    private void leave() {
        synchronized (lock) {
            callsInProgress--;
            if (closed) {
                releaseIfIdle();
            }
        }
    }

    private void releaseIfIdle() {
        if (callsInProgress == 0 && !released) {
            released = true;
            Posix.closeQuietly(fd);
        }
    }
}
