package dev.muelle.engine.runtime;

/**
 * A container's standard streams, numbered as Docker numbers them in its multiplexed stream format
 * (0 stdin, 1 stdout, 2 stderr). Conmon numbers them differently on its attach socket; that mapping
 * stays inside {@link AttachConnection}.
 */
public enum StdStream {
    STDIN(0), STDOUT(1), STDERR(2);

    private final int dockerId;

    StdStream(int dockerId) {
        this.dockerId = dockerId;
    }

    /** The stream byte Docker puts in the first byte of a multiplexed frame header. */
    public int dockerId() {
        return dockerId;
    }
}
