package dev.muelle.engine.volume;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.muelle.engine.container.Container;
import dev.muelle.engine.container.ContainerService;
import dev.muelle.engine.container.MountPoint;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code docker cp}: the container archive API ({@code HEAD}/{@code GET}/{@code PUT
 * /containers/{id}/archive}) on running and stopped containers.
 *
 * <p>A container path is looked up the way the container sees it: the longest volume or bind
 * mount destination that contains it picks the tree (the volume's {@code _data} or the bind
 * source), otherwise the container's rootfs; inside that tree it resolves with
 * {@link RootedFs.Scope#IN_ROOT}, so {@code ..} and absolute symlinks cannot leave it. Archives
 * of a directory include the mounts below it. tmpfs mounts live only inside the container and
 * are not reached. Symlinks that lead from the rootfs into a mount resolve in the rootfs.
 */
public final class ContainerArchive {

    private final ContainerService containers;

    public ContainerArchive(ContainerService containers) {
        this.containers = containers;
    }

    /** The {@code X-Docker-Container-Path-Stat} document: name, size, Go FileMode bits, mtime, link target. */
    public record PathStat(@JsonProperty("name") String name, @JsonProperty("size") long size,
                           @JsonProperty("mode") long mode, @JsonProperty("mtime") String mtime,
                           @JsonProperty("linkTarget") String linkTarget) {

        /** The header value: base64 of the JSON document, as the docker CLI decodes it. */
        public String header() {
            try {
                return Base64.getEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(this));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static PathStat of(FileInfo f, String linkTarget) {
            long mode = f.mode() & 0777;
            if ((f.mode() & 04000) != 0) {
                mode |= 1L << 23;
            }
            if ((f.mode() & 02000) != 0) {
                mode |= 1L << 22;
            }
            if ((f.mode() & 01000) != 0) {
                mode |= 1L << 20;
            }
            mode |= switch (f.type()) {
                case DIRECTORY -> 1L << 31;
                case SYMLINK -> 1L << 27;
                case FIFO -> 1L << 25;
                case SOCKET -> 1L << 24;
                case BLOCK_DEVICE -> 1L << 26;
                case CHAR_DEVICE -> (1L << 26) | (1L << 21);
                default -> 0L;
            };
            return new PathStat(f.name(), f.size(), mode, f.mtime().toString(), linkTarget == null ? "" : linkTarget);
        }
    }

    /** Where a container path lives on the host: a tree, the path inside it, and whether writes are allowed. */
    private record Location(Path root, String inner, boolean readOnly, boolean isRootfs, Map<String, Path> submounts) {
    }

    /** HEAD: what {@code path} is, without its content. */
    public PathStat stat(String ref, String path) throws IOException {
        Container c = containers.get(ref);
        return containers.withRootfs(c, rootfs -> {
            Location loc = locate(c, rootfs, path);
            try (RootedFs fs = RootedFs.open(loc.root(), RootedFs.Scope.IN_ROOT)) {
                return statIn(fs, loc.inner(), followFinal(path), path);
            } catch (EngineException.NotFound e) {
                throw notFound(path, ref);
            }
        });
    }

    /** GET: {@code path} as a tar stream named after its last component (the stat comes first, from {@link #stat}). */
    public void write(String ref, String path, OutputStream out) throws IOException {
        Container c = containers.get(ref);
        containers.withRootfs(c, rootfs -> {
            Location loc = locate(c, rootfs, path);
            try (RootedFs fs = RootedFs.open(loc.root(), RootedFs.Scope.IN_ROOT)) {
                TreeArchiver.write(fs, loc.inner(), rebaseName(path), out, loc.submounts(), followFinal(path));
            } catch (EngineException.NotFound e) {
                throw notFound(path, ref);
            }
            return null;
        });
    }

    /** PUT: unpacks {@code tar} into the existing directory {@code path}. */
    public void extract(String ref, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid)
            throws IOException {
        Container c = containers.get(ref);
        containers.withRootfs(c, rootfs -> {
            Location loc = locate(c, rootfs, path);
            try (RootedFs fs = RootedFs.open(loc.root(), RootedFs.Scope.IN_ROOT)) {
                FileInfo dir;
                try {
                    dir = fs.stat(loc.inner());
                } catch (EngineException.NotFound e) {
                    throw notFound(path, ref);
                }
                if (dir.type() != FileInfo.Type.DIRECTORY) {
                    throw new EngineException.InvalidParameter("extraction point is not a directory");
                }
                if (loc.readOnly()) {
                    throw new EngineException.Forbidden(loc.isRootfs() ? "container rootfs is marked read-only"
                            : "mounted volume is marked read-only");
                }
                TreeArchiver.extract(fs, loc.inner(), tar, copyUidGid ? containerUser(c) : TreeArchiver.Ownership.FROM_ARCHIVE,
                        noOverwriteDirNonDir);
            }
            return null;
        });
    }

    private static EngineException notFound(String path, String ref) {
        return new EngineException.NotFound("Could not find the file " + path + " in container " + ref);
    }

    /** A trailing "/" or "/." asks for what a symlink points to; otherwise the link itself is described. */
    private static boolean followFinal(String path) {
        return path.endsWith("/") || path.endsWith("/.") || RootedFs.relative(path).isEmpty();
    }

    private static String rebaseName(String path) {
        if (path.endsWith("/.")) {
            return ".";
        }
        String rel = RootedFs.relative(path);
        return rel.isEmpty() ? "." : rel.substring(rel.lastIndexOf('/') + 1);
    }

    private static PathStat statIn(RootedFs fs, String inner, boolean follow, String path) {
        FileInfo f = follow ? fs.stat(inner) : fs.lstat(inner);
        String name = RootedFs.relative(path);
        name = name.isEmpty() ? "/" : name.substring(name.lastIndexOf('/') + 1);
        f = new FileInfo(name, f.type(), f.size(), f.mode(), f.uid(), f.gid(), f.mtime(), f.linkTarget(), f.inode(),
                f.device(), f.links());
        String target = null;
        if (f.type() == FileInfo.Type.SYMLINK) {
            String parent = "/" + RootedFs.relative(path);
            parent = parent.substring(0, parent.lastIndexOf('/'));
            target = f.linkTarget().startsWith("/") ? f.linkTarget()
                    : Path.of(parent.isEmpty() ? "/" : parent).resolve(f.linkTarget()).normalize().toString();
        }
        return PathStat.of(f, target);
    }

    private static Location locate(Container c, Path rootfs, String path) {
        String abs = "/" + RootedFs.relative(path);
        List<MountPoint> mounts = c.Mounts == null ? List.of() : c.Mounts.stream()
                .filter(m -> !MountPoint.TMPFS.equals(m.type()))
                .sorted(Comparator.comparingInt((MountPoint m) -> m.destination().length()).reversed())
                .toList();
        for (MountPoint m : mounts) {
            String d = m.destination();
            if (abs.equals(d) || abs.startsWith(d + "/")) {
                return new Location(Path.of(m.source()), abs.substring(d.length()), !m.rw(), false,
                        below(mounts, abs));
            }
        }
        return new Location(rootfs, abs, Boolean.TRUE.equals(c.HostConfig.ReadonlyRootfs), true, below(mounts, abs));
    }

    /** Mounts under directory {@code dir}, keyed by their path relative to it (how an archive walk meets them). */
    private static Map<String, Path> below(List<MountPoint> mounts, String dir) {
        String prefix = dir.equals("/") ? "/" : dir + "/";
        Map<String, Path> out = new LinkedHashMap<>();
        for (MountPoint m : mounts) {
            if (m.destination().startsWith(prefix)) {
                out.put(m.destination().substring(prefix.length()), Path.of(m.source()));
            }
        }
        return out;
    }

    /** {@code copyUIDGID}: files become the container user's (numeric {@code uid[:gid]}; names resolve to root). */
    private static TreeArchiver.Ownership containerUser(Container c) {
        String user = c.Config.User == null ? "" : c.Config.User;
        String[] parts = user.split(":");
        try {
            int uid = parts[0].isEmpty() ? 0 : Integer.parseInt(parts[0]);
            int gid = parts.length > 1 ? Integer.parseInt(parts[1]) : uid;
            return new TreeArchiver.Ownership(uid, gid);
        } catch (NumberFormatException e) {
            return new TreeArchiver.Ownership(0, 0);
        }
    }
}
