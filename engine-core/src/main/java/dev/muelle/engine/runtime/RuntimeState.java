package dev.muelle.engine.runtime;

/**
 * What the OCI runtime says about a container right now. A container the runtime does not know
 * is {@link Status#MISSING} with pid 0 rather than an exception: after a host reboot or a
 * {@code delete} that is an ordinary answer.
 *
 * @param pid the container's init process on the host, 0 when stopped or missing
 */
public record RuntimeState(Status status, int pid) {

    /** The OCI runtime-spec lifecycle states, plus {@code MISSING} for "no such container". */
    public enum Status { CREATED, RUNNING, PAUSED, STOPPED, MISSING }

    public static RuntimeState missing() {
        return new RuntimeState(Status.MISSING, 0);
    }

    public boolean exists() {
        return status != Status.MISSING;
    }
}
