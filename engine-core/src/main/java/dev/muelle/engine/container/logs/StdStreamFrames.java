package dev.muelle.engine.container.logs;

import dev.muelle.engine.runtime.StdStream;

/**
 * Docker's multiplexed stream format for logs and attach without a tty: every chunk is preceded by
 * an 8-byte header {@code [stream, 0, 0, 0, size (uint32 big-endian)]} with stream 0 stdin,
 * 1 stdout, 2 stderr. With a tty Docker sends raw bytes and no headers.
 */
public final class StdStreamFrames {

    public static final int HEADER_BYTES = 8;

    private StdStreamFrames() {
    }

    /** The header for a chunk of {@code length} bytes on {@code stream}. */
    public static byte[] header(StdStream stream, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative frame length " + length);
        }
        return new byte[] {(byte) stream.dockerId(), 0, 0, 0,
                (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }
}
