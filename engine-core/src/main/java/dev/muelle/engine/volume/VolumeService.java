package dev.muelle.engine.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.events.EventBus;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonValue;
import dev.muelle.engine.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Named and anonymous volumes of the {@code local} driver: create, list, inspect, remove,
 * prune, disk usage. A volume's files live in {@code <data-root>/volumes/<name>/_data} and
 * outlive every container that mounts them.
 *
 * <p>Invariants: a row in {@code volumes} exists iff its {@code _data} directory does (the
 * directory is made before the row and removed after it); a volume some container mounts is
 * never removed; a volume with driver options ({@code type}/{@code device}/{@code o}) has them
 * mounted on {@code _data} from its first use until it is removed.
 */
public final class VolumeService {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeService.class);
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final Set<String> LOCAL_OPTIONS = Set.of("type", "device", "o", "size");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Which containers mount a volume (answered by the container service). */
    @FunctionalInterface
    public interface Users {
        List<String> containersUsing(String volumeName);
    }

    private final Path volumesDir;
    private final VolumeStore store;
    private final Users users;
    private final EventBus events;

    public VolumeService(Path volumesDir, Database db, Users users, EventBus events) {
        this.volumesDir = volumesDir;
        this.store = new VolumeStore(db, volumesDir);
        this.users = users;
        this.events = events;
        try {
            Files.createDirectories(volumesDir);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot create " + volumesDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code docker volume create}: a new volume, or the existing one of that name (as dockerd
     * answers a repeated create). A null or empty name gets a random 64-hex one.
     */
    public synchronized Volume create(String name, String driver, Map<String, String> options, Map<String, String> labels) {
        if (name == null || name.isEmpty()) {
            name = randomName();
        }
        if (!NAME.matcher(name).matches()) {
            throw new EngineException.InvalidParameter("create " + name + ": \"" + name + "\" includes invalid characters for a "
                    + "local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host "
                    + "directory, use absolute path");
        }
        String drv = driver == null || driver.isEmpty() ? "local" : driver;
        if (!drv.equals("local")) {
            throw new EngineException.NotFound("create " + name + ": error looking up volume plugin " + drv
                    + ": plugin \"" + drv + "\" not found");
        }
        var existing = store.find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        Map<String, String> opts = options == null || options.isEmpty() ? null : new LinkedHashMap<>(options);
        if (opts != null) {
            for (String k : opts.keySet()) {
                if (!LOCAL_OPTIONS.contains(k)) {
                    throw new EngineException.InvalidParameter("create " + name + ": invalid option: \"" + k + "\"");
                }
            }
            if (opts.containsKey("type") != opts.containsKey("device")) {
                throw new EngineException.InvalidParameter("create " + name + ": missing required option: \""
                        + (opts.containsKey("type") ? "device" : "type") + "\"");
            }
        }
        Path data = volumesDir.resolve(name).resolve("_data");
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new EngineException.SystemError("create " + name + ": " + e.getMessage(), e);
        }
        Volume v = new Volume(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), drv,
                labels == null ? Map.of() : new LinkedHashMap<>(labels), data.toString(), name, opts, "local");
        store.insert(v);
        events.publish("volume", "create", name, Map.of("driver", drv));
        return v;
    }

    /** A volume for {@code -v /path} or an image VOLUME: random name, marked anonymous. */
    public Volume createAnonymous() {
        return create(randomName(), "local", null, Map.of(Volume.ANONYMOUS_LABEL, ""));
    }

    private static String randomName() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public Volume get(String name) {
        return store.find(name).orElseThrow(() -> new EngineException.NotFound("get " + name + ": no such volume"));
    }

    public boolean exists(String name) {
        return store.find(name).isPresent();
    }

    /** {@code docker volume ls} with filters dangling, name, driver, label. */
    public List<Volume> list(Map<String, List<String>> filters) {
        VolumeFilters f = VolumeFilters.of(filters, Set.of("dangling", "name", "driver", "label"));
        List<Volume> out = new ArrayList<>();
        for (Volume v : store.all()) {
            if (f.matches(v, users.containersUsing(v.name()).isEmpty())) {
                out.add(v);
            }
        }
        return out;
    }

    /** {@code docker volume rm}: refused while any container mounts it; {@code force} ignores a missing volume. */
    public synchronized void remove(String name, boolean force) {
        var found = store.find(name);
        if (found.isEmpty()) {
            if (force) {
                return;
            }
            throw new EngineException.NotFound("get " + name + ": no such volume");
        }
        List<String> using = users.containersUsing(name);
        if (!using.isEmpty()) {
            throw new EngineException.Conflict("remove " + name + ": volume is in use - [" + String.join(", ", using) + "]");
        }
        VolumeMounts.unmountIfMounted(Path.of(found.get().mountpoint()));
        store.delete(name);
        try (RootedFs all = RootedFs.open(volumesDir, RootedFs.Scope.BENEATH)) {
            all.delete(name, true);
        } catch (EngineException e) {
            LOG.warn("volume {} removed, but its files stay in {}: {}", name, volumesDir.resolve(name), e.getMessage());
        }
        events.publish("volume", "destroy", name, Map.of("driver", found.get().driver()));
    }

    /** What prune removed and how many bytes that freed. */
    public record Pruned(List<String> volumesDeleted, long spaceReclaimed) implements JsonValue {
        @Override
        public JsonNode toJson() {
            ObjectNode o = Json.object();
            o.set("VolumesDeleted", Json.node(volumesDeleted));
            return o.put("SpaceReclaimed", spaceReclaimed);
        }
    }

    /**
     * {@code docker volume prune}: unused volumes; without {@code all=true} only anonymous ones,
     * as Docker does since API 1.42 ({@code allByDefault} keeps older clients' behaviour).
     */
    public Pruned prune(Map<String, List<String>> filters, boolean allByDefault) {
        VolumeFilters f = VolumeFilters.of(filters, Set.of("label", "label!", "all", "name", "driver", "dangling"));
        boolean all = f.all(allByDefault);
        List<String> deleted = new ArrayList<>();
        long space = 0;
        for (Volume v : store.all()) {
            if (!all && !v.anonymous()) {
                continue;
            }
            if (!users.containersUsing(v.name()).isEmpty() || !f.matches(v, true)) {
                continue;
            }
            long size = size(v);
            try {
                remove(v.name(), false);
                deleted.add(v.name());
                space += size;
            } catch (EngineException e) {
                LOG.info("prune kept volume {}: {}", v.name(), e.getMessage());
            }
        }
        events.publish("volume", "prune", "", Map.of("reclaimed", String.valueOf(space)));
        return new Pruned(deleted, space);
    }

    /** A volume with its disk usage, as {@code /system/df} lists volumes. */
    public record DiskUsage(Volume volume, Map<String, Long> usageData) implements JsonValue {
        /** The volume's fields, then {@code UsageData}. */
        @Override
        public JsonNode toJson() {
            return volume.fields(Json.object()).set("UsageData", Json.node(usageData));
        }
    }

    /** {@code docker system df -v}: every volume with its size and how many containers use it. */
    public List<DiskUsage> df() {
        List<DiskUsage> out = new ArrayList<>();
        for (Volume v : store.all()) {
            out.add(new DiskUsage(v, Map.of("Size", size(v), "RefCount", (long) users.containersUsing(v.name()).size())));
        }
        return out;
    }

    /** Bytes in the volume's files; -1 when they cannot be read. */
    public long size(Volume v) {
        try (RootedFs fs = RootedFs.open(Path.of(v.mountpoint()), RootedFs.Scope.BENEATH)) {
            return fs.usage("").size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The volume's files, confined; the caller closes it. Mounts driver options first if needed. */
    public RootedFs files(String name) {
        Volume v = get(name);
        prepareForUse(v);
        return RootedFs.open(Path.of(v.mountpoint()), RootedFs.Scope.BENEATH);
    }

    /** Mounts a volume's driver options (tmpfs, bind) on its {@code _data} unless already there. */
    public synchronized void prepareForUse(Volume v) {
        if (v.options() != null && v.options().containsKey("type")) {
            VolumeMounts.mount(v.options(), Path.of(v.mountpoint()));
        }
    }
}
