package dev.muelle.engine.container;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;
import dev.muelle.engine.json.JsonValue;

/**
 * One entry of a container's {@code Mounts}, as {@code docker inspect} shows it: a volume
 * ({@code Name}, {@code Driver} set), a host bind or a tmpfs. Decided once, at create, and kept
 * in the container's record; the runtime mounts are derived from it at every start.
 */
public record MountPoint(String type, String name, String source, String destination, String driver,
                         String mode, boolean rw, String propagation) implements JsonValue {

    public static final String VOLUME = "volume";
    public static final String BIND = "bind";
    public static final String TMPFS = "tmpfs";

    /** Docker's field names; absent (not null) where a kind of mount has no such field. */
    @Override
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        putIfSet(n, "Type", type);
        putIfSet(n, "Name", name);
        putIfSet(n, "Source", source);
        putIfSet(n, "Destination", destination);
        putIfSet(n, "Driver", driver);
        putIfSet(n, "Mode", mode);
        n.put("RW", rw);
        putIfSet(n, "Propagation", propagation);
        return n;
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    static MountPoint fromJson(JsonRead r) {
        return new MountPoint(r.string("Type"), r.string("Name"), r.string("Source"), r.string("Destination"),
                r.string("Driver"), r.string("Mode"), r.bool("RW", false), r.string("Propagation"));
    }

    /** The same mount point, read-only when {@code readOnly} (volumes-from with {@code :ro}). */
    public MountPoint withReadOnly(boolean readOnly) {
        return new MountPoint(type, name, source, destination, driver, mode, !readOnly && rw, propagation);
    }
}
