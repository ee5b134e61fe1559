package dev.muelle.engine.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of a container's {@code Mounts}, as {@code docker inspect} shows it: a volume
 * ({@code Name}, {@code Driver} set), a host bind or a tmpfs. Decided once, at create, and kept
 * in the container's record; the runtime mounts are derived from it at every start.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MountPoint(@JsonProperty("Type") String type,
                         @JsonProperty("Name") String name,
                         @JsonProperty("Source") String source,
                         @JsonProperty("Destination") String destination,
                         @JsonProperty("Driver") String driver,
                         @JsonProperty("Mode") String mode,
                         @JsonProperty("RW") boolean rw,
                         @JsonProperty("Propagation") String propagation) {

    public static final String VOLUME = "volume";
    public static final String BIND = "bind";
    public static final String TMPFS = "tmpfs";

    /** The same mount point, read-only when {@code readOnly} (volumes-from with {@code :ro}). */
    public MountPoint withReadOnly(boolean readOnly) {
        return new MountPoint(type, name, source, destination, driver, mode, !readOnly && rw, propagation);
    }
}
