package dev.muelle.engine.volume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.container.Container;
import dev.muelle.engine.container.ContainerMounts;
import dev.muelle.engine.container.HostConfig;
import dev.muelle.engine.container.MountPoint;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;
import dev.muelle.engine.runtime.RuntimeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Docker's mount rules for a container, on top of {@link VolumeService}:
 * <ul>
 *   <li>{@code -v /host:/ctr[:opts]} binds a host path (created when missing);
 *       {@code --mount type=bind} refuses a missing source;</li>
 *   <li>{@code -v name:/ctr} and {@code --mount type=volume} use the named volume, creating it on
 *       first use; {@code -v /ctr} and the image's VOLUMEs get anonymous volumes;</li>
 *   <li>{@code --tmpfs} and {@code --mount type=tmpfs} (size, mode) are private tmpfs mounts;</li>
 *   <li>{@code --volumes-from c[:ro|rw]} repeats another container's mount points.</li>
 * </ul>
 * Mount points are fixed at create; at each start a volume that is still empty is first filled
 * with what the image has at its path (unless {@code nocopy}), as dockerd does.
 */
public final class MountResolver implements ContainerMounts {

    private static final Logger LOG = LoggerFactory.getLogger(MountResolver.class);
    private static final Set<String> PROPAGATIONS = Set.of("shared", "rshared", "slave", "rslave", "private", "rprivate");

    private final VolumeService volumes;

    public MountResolver(VolumeService volumes) {
        this.volumes = volumes;
    }

    @Override
    public List<MountPoint> resolve(Container c, Function<String, Container> containers) {
        HostConfig hc = c.HostConfig;
        Map<String, MountPoint> byDest = new LinkedHashMap<>();
        if (hc.Binds != null) {
            for (String spec : hc.Binds) {
                add(byDest, parseBind(spec));
            }
        }
        if (hc.Mounts != null) {
            for (Object raw : hc.Mounts) {
                add(byDest, parseMount(Json.node(raw)));
            }
        }
        if (hc.Tmpfs != null) {
            for (String dest : hc.Tmpfs.keySet()) {
                if (byDest.containsKey(clean(dest))) {
                    throw new EngineException.InvalidParameter("Duplicate mount point: " + clean(dest));
                }
            }
        }
        if (hc.VolumesFrom != null) {
            for (String from : hc.VolumesFrom) {
                String[] parts = from.split(":");
                boolean ro = parts.length > 1 && parts[1].equals("ro");
                Container other = containers.apply(parts[0]);
                for (MountPoint m : other.Mounts) {
                    byDest.putIfAbsent(m.destination(), parts.length > 1 ? m.withReadOnly(ro) : m);
                }
            }
        }
        if (c.Config.Volumes != null) {
            for (String dest : c.Config.Volumes.keySet()) {
                String d = clean(dest);
                if (byDest.containsKey(d) || (hc.Tmpfs != null && hc.Tmpfs.keySet().stream().anyMatch(t -> clean(t).equals(d)))) {
                    continue;
                }
                Volume v = volumes.createAnonymous();
                byDest.put(d, new MountPoint(MountPoint.VOLUME, v.name(), v.mountpoint(), d, "local", "", true, ""));
            }
        }
        return new ArrayList<>(byDest.values());
    }

    private static void add(Map<String, MountPoint> byDest, MountPoint m) {
        if (byDest.putIfAbsent(m.destination(), m) != null) {
            throw new EngineException.InvalidParameter("Duplicate mount point: " + m.destination());
        }
    }

    private static String clean(String dest) {
        String r = "/" + RootedFs.relative(dest);
        return r;
    }

    /** {@code src:dst[:opts]} from {@code -v}: an absolute source is a host bind, otherwise a volume name. */
    private MountPoint parseBind(String spec) {
        String[] parts = spec.split(":");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
            throw new EngineException.InvalidParameter("invalid volume specification: '" + spec + "'");
        }
        String dest = parts[1];
        if (!dest.startsWith("/")) {
            throw new EngineException.InvalidParameter("invalid volume specification: '" + spec
                    + "': invalid mount config for type \"" + (parts[0].startsWith("/") ? "bind" : "volume")
                    + "\": invalid mount path: '" + dest + "' mount path must be absolute");
        }
        if (clean(dest).equals("/")) {
            throw new EngineException.InvalidParameter("invalid volume specification: '" + spec
                    + "': invalid mount config for type \"bind\": invalid specification: destination can't be '/'");
        }
        String mode = parts.length == 3 ? parts[2] : "";
        boolean ro = false;
        String propagation = "";
        for (String o : mode.isEmpty() ? new String[0] : mode.split(",")) {
            if (o.equals("ro")) {
                ro = true;
            } else if (PROPAGATIONS.contains(o)) {
                propagation = o;
            } else if (!Set.of("rw", "z", "Z", "nocopy", "copy").contains(o)) {
                throw new EngineException.InvalidParameter("invalid mode: " + o);
            }
        }
        if (parts[0].startsWith("/")) {
            Path source = Path.of(parts[0]);
            if (!Files.exists(source)) {
                // -v makes a missing host directory, as dockerd does (--mount refuses).
                try {
                    Files.createDirectories(source);
                } catch (IOException e) {
                    throw new EngineException.InvalidParameter("error while creating mount source path '" + source + "': " + e.getMessage());
                }
            }
            return new MountPoint(MountPoint.BIND, null, source.toString(), clean(dest), null, mode, !ro,
                    propagation.isEmpty() ? "rprivate" : propagation);
        }
        Volume v = volumes.create(parts[0], "local", null, null);
        return new MountPoint(MountPoint.VOLUME, v.name(), v.mountpoint(), clean(dest), v.driver(),
                mode.isEmpty() ? "z" : mode, !ro, "");
    }

    /** One {@code HostConfig.Mounts} entry ({@code --mount}). */
    private MountPoint parseMount(JsonNode m) {
        String type = m.path("Type").asText("");
        String target = m.path("Target").asText("");
        String source = m.path("Source").asText("");
        boolean ro = m.path("ReadOnly").asBoolean(false);
        if (target.isEmpty()) {
            throw new EngineException.InvalidParameter("invalid mount config: Target must not be empty");
        }
        if (!target.startsWith("/")) {
            throw new EngineException.InvalidParameter("invalid mount config for type \"" + type + "\": invalid mount path: '"
                    + target + "' mount path must be absolute");
        }
        switch (type) {
            case "bind" -> {
                if (source.isEmpty()) {
                    throw new EngineException.InvalidParameter("invalid mount config for type \"bind\": field Source must not be empty");
                }
                if (!Files.exists(Path.of(source))) {
                    throw new EngineException.InvalidParameter("invalid mount config for type \"bind\": bind source path does not exist: "
                            + source);
                }
                String prop = m.path("BindOptions").path("Propagation").asText("");
                if (!prop.isEmpty() && !PROPAGATIONS.contains(prop)) {
                    throw new EngineException.InvalidParameter("invalid mount config for type \"bind\": invalid propagation mode: " + prop);
                }
                return new MountPoint(MountPoint.BIND, null, source, clean(target), null, "", !ro,
                        prop.isEmpty() ? "rprivate" : prop);
            }
            case "volume" -> {
                Volume v;
                if (source.isEmpty()) {
                    v = volumes.createAnonymous();
                } else {
                    JsonNode vo = m.path("VolumeOptions");
                    Map<String, String> labels = JsonRead.of(vo, "VolumeOptions").stringMap("Labels");
                    Map<String, String> opts = JsonRead.of(vo.path("DriverConfig"), "DriverConfig").stringMap("Options");
                    v = volumes.exists(source) ? volumes.get(source)
                            : volumes.create(source, vo.path("DriverConfig").path("Name").asText("local"), opts, labels);
                }
                String mode = m.path("VolumeOptions").path("NoCopy").asBoolean(false) ? "nocopy" : "";
                return new MountPoint(MountPoint.VOLUME, v.name(), v.mountpoint(), clean(target), v.driver(), mode, !ro, "");
            }
            case "tmpfs" -> {
                if (!source.isEmpty()) {
                    throw new EngineException.InvalidParameter("invalid mount config for type \"tmpfs\": field Source must be empty");
                }
                return new MountPoint(MountPoint.TMPFS, null, "", clean(target), null, "", !ro, "");
            }
            default -> throw new EngineException.InvalidParameter("mount type unknown: \"" + type + "\"");
        }
    }

    @Override
    public List<RuntimeSpec.OciMount> runtimeMounts(Container c, Path rootfs) {
        List<RuntimeSpec.OciMount> out = new ArrayList<>();
        for (MountPoint m : c.Mounts) {
            switch (m.type()) {
                case MountPoint.VOLUME -> {
                    Volume v = volumes.get(m.name());
                    volumes.prepareForUse(v);
                    if (!m.mode().contains("nocopy")) {
                        copyUp(rootfs, m.destination(), Path.of(v.mountpoint()));
                    }
                    out.add(bind(v.mountpoint(), m, "rprivate"));
                }
                case MountPoint.BIND -> {
                    if (!Files.exists(Path.of(m.source()))) {
                        throw new EngineException.InvalidParameter("invalid mount config for type \"bind\": bind source path does not exist: "
                                + m.source());
                    }
                    out.add(bind(m.source(), m, m.propagation()));
                }
                case MountPoint.TMPFS -> out.add(tmpfs(m.destination(), tmpfsOptions(c, m.destination()), !m.rw(), false));
                default -> LOG.warn("container {} has a mount of unknown type {}", c.Id, m.type());
            }
        }
        if (c.HostConfig.Tmpfs != null) {
            c.HostConfig.Tmpfs.forEach((dest, opts) -> out.add(tmpfs(clean(dest), opts == null || opts.isEmpty()
                    ? List.of() : List.of(opts.split(",")), false, true)));
        }
        return out;
    }

    private static RuntimeSpec.OciMount bind(String source, MountPoint m, String propagation) {
        return new RuntimeSpec.OciMount(m.destination(), "bind", source,
                List.of("rbind", m.rw() ? "rw" : "ro", propagation == null || propagation.isEmpty() ? "rprivate" : propagation));
    }

    /** Docker's tmpfs defaults: nosuid,nodev (+noexec for --tmpfs), then the user's options. */
    private static RuntimeSpec.OciMount tmpfs(String dest, List<String> userOptions, boolean ro, boolean noexecDefault) {
        List<String> opts = new ArrayList<>(List.of("nosuid", "nodev"));
        if (noexecDefault && !userOptions.contains("exec")) {
            opts.add("noexec");
        }
        if (ro) {
            opts.add("ro");
        }
        opts.addAll(userOptions);
        return new RuntimeSpec.OciMount(dest, "tmpfs", "tmpfs", opts);
    }

    private static List<String> tmpfsOptions(Container c, String dest) {
        List<String> opts = new ArrayList<>();
        if (c.HostConfig.Mounts == null) {
            return opts;
        }
        for (Object raw : c.HostConfig.Mounts) {
            JsonNode m = Json.node(raw);
            if ("tmpfs".equals(m.path("Type").asText()) && clean(m.path("Target").asText()).equals(dest)) {
                JsonNode t = m.path("TmpfsOptions");
                if (t.path("SizeBytes").asLong(0) > 0) {
                    opts.add("size=" + t.path("SizeBytes").asLong());
                }
                if (t.path("Mode").asInt(0) > 0) {
                    opts.add("mode=" + Integer.toOctalString(t.path("Mode").asInt()));
                }
            }
        }
        return opts;
    }

    /**
     * Fills an empty volume with the image's files at {@code dest} (owners, modes, links kept),
     * and gives the volume's root the image directory's owner and mode.
     */
    private static void copyUp(Path rootfs, String dest, Path volumeData) {
        try (RootedFs target = RootedFs.open(volumeData, RootedFs.Scope.BENEATH)) {
            if (!target.list("").isEmpty()) {
                return;
            }
            try (RootedFs source = RootedFs.open(rootfs, RootedFs.Scope.IN_ROOT)) {
                FileInfo top;
                try {
                    top = source.stat(dest);
                } catch (EngineException.NotFound absent) {
                    return;
                }
                if (top.type() != FileInfo.Type.DIRECTORY) {
                    return;
                }
                TreeCopy.copy(source, dest, target, "");
            }
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot copy the image's " + dest + " into volume " + volumeData + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void release(Container c, boolean removeAnonymousVolumes) {
        if (!removeAnonymousVolumes || c.Mounts == null) {
            return;
        }
        for (MountPoint m : c.Mounts) {
            if (!MountPoint.VOLUME.equals(m.type()) || !volumes.exists(m.name())) {
                continue;
            }
            if (!volumes.get(m.name()).anonymous()) {
                continue;
            }
            try {
                volumes.remove(m.name(), true);
            } catch (EngineException.Conflict stillUsed) {
                LOG.debug("anonymous volume {} kept: {}", m.name(), stillUsed.getMessage());
            }
        }
    }
}
