package dev.muelle.engine.volume;

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
 * are not reached. Symlinks resolve the way the container sees them, one component at a time,
 * so a link in the rootfs that points into a volume reaches the volume (as under dockerd, which
 * walks the mounted container). Single-file bind mounts and the engine's /etc/hostname,
 * /etc/hosts and /etc/resolv.conf read as the files the container has there.
 */
public final class ContainerArchive {

    private final ContainerService containers;

    public ContainerArchive(ContainerService containers) {
        this.containers = containers;
    }

    /** The {@code X-Docker-Container-Path-Stat} document: name, size, Go FileMode bits, mtime, link target. */
    public record PathStat(String name, long size, long mode, String mtime, String linkTarget) {

        /** The header value: base64 of the JSON document, as the docker CLI decodes it. */
        public String header() {
            return Base64.getEncoder().encodeToString(Json.bytes(Json.object().put("name", name).put("size", size)
                    .put("mode", mode).put("mtime", mtime).put("linkTarget", linkTarget)));
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

    /** Linux's limit on symlinks followed while resolving one path. */
    private static final int MAX_SYMLINKS = 40;

    /** A mount as the archive API sees it: where in the container, which host path, writable or not. */
    private record Mounted(String destination, Path source, boolean rw) {
    }

    /** Where a container path lives on the host: a tree, the path inside it, and whether writes are allowed. */
    private record Location(Path root, String inner, boolean readOnly, boolean isRootfs, Map<String, Path> submounts) {
    }

    /** HEAD: what {@code path} is, without its content. */
    public PathStat stat(String ref, String path) throws IOException {
        Container c = containers.get(ref);
        return containers.withRootfs(c, rootfs -> {
            Location loc = locate(c, rootfs, resolve(c, rootfs, path, followFinal(path)));
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
            Location loc = locate(c, rootfs, resolve(c, rootfs, path, followFinal(path)));
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
            Location loc = locate(c, rootfs, resolve(c, rootfs, path, true));
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

    /**
     * {@code path} with its symlinks replaced by their targets as the container sees them: each
     * component is looked up in the tree that holds it (rootfs or a mount), so a link may lead
     * from one tree into another. The last component stays a link unless {@code followFinal}.
     * A component that does not exist ends the walk; the lookup that follows reports it.
     */
    private static String resolve(Container c, Path rootfs, String path, boolean followFinal) {
        java.util.Deque<String> remaining = new java.util.ArrayDeque<>(components(path));
        String resolved = "/";
        int links = 0;
        while (!remaining.isEmpty()) {
            String name = remaining.pop();
            if (name.equals("..")) {
                resolved = resolved.equals("/") ? "/" : resolved.substring(0, Math.max(1, resolved.lastIndexOf('/')));
                continue;
            }
            String candidate = resolved.equals("/") ? "/" + name : resolved + "/" + name;
            if (remaining.isEmpty() && !followFinal) {
                return candidate;
            }
            Location loc = locate(c, rootfs, candidate);
            FileInfo f;
            try (RootedFs fs = RootedFs.open(loc.root(), RootedFs.Scope.IN_ROOT)) {
                f = fs.lstat(loc.inner());
            } catch (EngineException.NotFound missing) {
                return candidate + (remaining.isEmpty() ? "" : "/" + String.join("/", remaining));
            }
            if (f.type() != FileInfo.Type.SYMLINK) {
                resolved = candidate;
                continue;
            }
            if (++links > MAX_SYMLINKS) {
                throw new EngineException.InvalidParameter("too many levels of symbolic links: " + path);
            }
            List<String> target = components(f.linkTarget());
            for (int i = target.size() - 1; i >= 0; i--) {
                remaining.push(target.get(i));
            }
            if (f.linkTarget().startsWith("/")) {
                resolved = "/";
            }
        }
        return resolved;
    }

    private static List<String> components(String path) {
        return java.util.Arrays.stream(path.split("/")).filter(p -> !p.isEmpty() && !p.equals(".")).toList();
    }

    private static Location locate(Container c, Path rootfs, String path) {
        String abs = "/" + RootedFs.relative(path);
        List<Mounted> mounts = mounts(c);
        for (Mounted m : mounts) {
            String d = m.destination();
            if (abs.equals(d) || abs.startsWith(d + "/")) {
                if (java.nio.file.Files.isRegularFile(m.source())) {
                    // A single-file bind mount: the file inside its host directory.
                    return new Location(m.source().getParent(), "/" + m.source().getFileName() + abs.substring(d.length()),
                            !m.rw(), false, Map.of());
                }
                return new Location(m.source(), abs.substring(d.length()), !m.rw(), false, below(mounts, abs));
            }
        }
        return new Location(rootfs, abs, Boolean.TRUE.equals(c.HostConfig.ReadonlyRootfs), true, below(mounts, abs));
    }

    /**
     * The container's volume and bind mounts plus the engine's /etc files, longest destination
     * first so the innermost mount wins; tmpfs mounts exist only inside the container.
     */
    private static List<Mounted> mounts(Container c) {
        List<Mounted> out = new java.util.ArrayList<>();
        if (c.Mounts != null) {
            c.Mounts.stream().filter(m -> !MountPoint.TMPFS.equals(m.type()))
                    .forEach(m -> out.add(new Mounted(m.destination(), Path.of(m.source()), m.rw())));
        }
        Map<String, String> etc = new LinkedHashMap<>();
        etc.put("/etc/hostname", c.HostnamePath);
        etc.put("/etc/hosts", c.HostsPath);
        etc.put("/etc/resolv.conf", c.ResolvConfPath);
        etc.forEach((destination, source) -> {
            if (source != null && !source.isEmpty() && out.stream().noneMatch(m -> m.destination().equals(destination))) {
                out.add(new Mounted(destination, Path.of(source), true));
            }
        });
        out.sort(Comparator.comparingInt((Mounted m) -> m.destination().length()).reversed());
        return out;
    }

    /** Mounts under directory {@code dir}, keyed by their path relative to it (how an archive walk meets them). */
    private static Map<String, Path> below(List<Mounted> mounts, String dir) {
        String prefix = dir.equals("/") ? "/" : dir + "/";
        Map<String, Path> out = new LinkedHashMap<>();
        for (Mounted m : mounts) {
            if (m.destination().startsWith(prefix) && java.nio.file.Files.isDirectory(m.source())) {
                out.put(m.destination().substring(prefix.length()), m.source());
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
