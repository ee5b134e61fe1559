package dev.muelle.engine.image;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Per-container writable layers on overlayfs, in {@code <containers>/<id>/overlay/{upper,work,merged}}.
 *
 * <p>Lifecycle of a container's snapshot: {@link #prepare} records which image it is based on and
 * takes a reference on each of the image's layers (so {@code rmi -f} cannot pull layers from
 * under it); {@link #mount} assembles the rootfs at {@code merged} for runc; {@link #unmount} when
 * the container stops; {@link #remove} deletes the upper dir and drops the layer references.
 * Everything the container writes lands in {@code upper}; {@link #usage} is its size (SizeRw).
 *
 * <p>Overlay options must fit one page (4096 bytes). With absolute paths that allows ~45 layers;
 * longer stacks are mounted with lower dirs relative to the layer store, by running mount(8) in
 * that directory (the JVM cannot safely chdir), which allows ~58. Docker itself caps images at
 * 125 layers through shorter symlinked names; we do not yet.
 */
public final class Snapshotter {

    private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);
    private static final int MAX_MOUNT_DATA = 4095;

    private final Path containersRoot;
    private final Database db;
    private final LayerStore layers;
    private final ImageService images;

    public Snapshotter(Path containersRoot, Database db, LayerStore layers, ImageService images) {
        this.containersRoot = containersRoot;
        this.db = db;
        this.layers = layers;
        this.images = images;
    }

    /** Creates the container's empty writable layer over {@code imageId}'s layers. */
    public synchronized Snapshot prepare(String containerId, String imageId) {
        if (find(containerId) != null) {
            throw new EngineException.Conflict("snapshot for container " + containerId + " already exists");
        }
        Image image = images.resolve(imageId);
        List<Digest> chain = image.layers();
        layers.acquire(chain);
        try {
            Path dir = dir(containerId);
            Files.createDirectories(dir.resolve("upper"));
            Files.createDirectories(dir.resolve("work"));
            Files.createDirectories(dir.resolve("merged"));
            if (chain.isEmpty()) {
                Files.createDirectories(dir.resolve("empty"));
            }
            db.update("INSERT INTO snapshots (container_id, image_id, layers) VALUES (?, ?, ?)", containerId,
                    image.id(), chain.stream().map(Digest::toString).collect(Collectors.joining(" ")));
        } catch (IOException | RuntimeException e) {
            layers.release(chain);
            throw e instanceof EngineException ee ? ee
                    : new EngineException.SystemError("cannot prepare rootfs for " + containerId + ": " + e.getMessage(), e);
        }
        return get(containerId);
    }

    /** Mounts the container's rootfs (idempotent) and returns the merged directory. */
    public synchronized Path mount(String containerId) {
        Snapshot s = get(containerId);
        if (isMountPoint(s.mergedDir())) {
            return s.mergedDir();
        }
        String rest = ",upperdir=" + s.upperDir() + ",workdir=" + s.workDir()
                + (Files.exists(Path.of("/sys/module/overlay/parameters/index")) ? ",index=off" : "");
        String absolute = "lowerdir=" + join(s.lowerDirs()) + rest;
        if (absolute.length() <= MAX_MOUNT_DATA) {
            try {
                Libc.INSTANCE.mount("overlay", s.mergedDir().toString(), "overlay", new NativeLong(0), absolute);
            } catch (LastErrorException e) {
                throw new EngineException.SystemError("cannot mount rootfs of " + containerId + ": overlay mount failed (errno "
                        + e.getErrorCode() + ")", e);
            }
            return s.mergedDir();
        }
        List<Path> relative = s.lowerDirs().stream().map(p -> layers.root().relativize(p)).toList();
        String shorter = "lowerdir=" + join(relative) + rest;
        if (shorter.length() > MAX_MOUNT_DATA) {
            throw new EngineException.SystemError("cannot mount rootfs of " + containerId + ": image has too many layers ("
                    + s.lowerDirs().size() + ") for one overlay mount");
        }
        mountFrom(layers.root(), shorter, s.mergedDir());
        return s.mergedDir();
    }

    private static void mountFrom(Path cwd, String options, Path target) {
        try {
            Process p = new ProcessBuilder("mount", "-t", "overlay", "overlay", "-o", options, target.toString())
                    .directory(cwd.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new EngineException.SystemError("cannot mount rootfs at " + target + ": " + out);
            }
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot run mount(8): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.SystemError("interrupted while mounting " + target);
        }
    }

    /** Unmounts the rootfs; not mounted is fine. */
    public synchronized void unmount(String containerId) {
        Path merged = dir(containerId).resolve("merged");
        while (isMountPoint(merged)) {
            try {
                Libc.INSTANCE.umount2(merged.toString(), 0);
            } catch (LastErrorException busy) {
                log.warn("umount {} failed (errno {}); detaching", merged, busy.getErrorCode());
                try {
                    Libc.INSTANCE.umount2(merged.toString(), Libc.MNT_DETACH);
                } catch (LastErrorException e) {
                    throw new EngineException.SystemError("cannot unmount rootfs of " + containerId + " (errno "
                            + e.getErrorCode() + ")", e);
                }
            }
        }
    }

    /** Unmounts and deletes the container's writable layer and drops its layer references. */
    public synchronized void remove(String containerId) {
        List<Digest> chain = chainOf(containerId);
        boolean known = find(containerId) != null;
        unmount(containerId);
        try {
            FileTrees.deleteRecursively(dir(containerId));
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot remove rootfs of " + containerId + ": " + e.getMessage(), e);
        }
        if (known) {
            db.update("DELETE FROM snapshots WHERE container_id = ?", containerId);
            layers.release(chain);
        }
    }

    /** Bytes the container has written (Docker's SizeRw). */
    public long usage(String containerId) {
        try {
            return FileTrees.size(get(containerId).upperDir());
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot measure rootfs of " + containerId + ": " + e.getMessage(), e);
        }
    }

    /** The snapshot's directories (for GraphDriver in container inspect); {@code NotFound} if none. */
    public Snapshot get(String containerId) {
        Snapshot s = find(containerId);
        if (s == null) {
            throw new EngineException.NotFound("no rootfs prepared for container " + containerId);
        }
        return s;
    }

    private Snapshot find(String containerId) {
        return db.query("SELECT image_id, layers FROM snapshots WHERE container_id = ?", rs -> {
            Path dir = dir(containerId);
            List<Path> lower = new ArrayList<>();
            String chain = rs.getString(2);
            if (chain.isEmpty()) {
                lower.add(dir.resolve("empty"));
            } else {
                List<String> ids = Arrays.asList(chain.split(" "));
                for (int i = ids.size() - 1; i >= 0; i--) {
                    lower.add(layers.diff(Digest.parse(ids.get(i))));
                }
            }
            return new Snapshot(containerId, rs.getString(1), List.copyOf(lower), dir.resolve("upper"),
                    dir.resolve("work"), dir.resolve("merged"));
        }, containerId).stream().findFirst().orElse(null);
    }

    /** The layers a snapshot holds references on, bottom first, as stored at prepare. */
    private List<Digest> chainOf(String containerId) {
        return db.query("SELECT layers FROM snapshots WHERE container_id = ?", rs -> rs.getString(1), containerId)
                .stream().flatMap(l -> Arrays.stream(l.split(" "))).filter(id -> !id.isEmpty())
                .map(Digest::parse).toList();
    }

    private Path dir(String containerId) {
        if (!containerId.matches("[A-Za-z0-9_.-]+")) {
            throw new EngineException.InvalidParameter("invalid container id: " + containerId);
        }
        return containersRoot.resolve(containerId).resolve("overlay");
    }

    private static String join(List<Path> dirs) {
        return dirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    }

    /** Whether {@code dir} is a mount point, from /proc/self/mountinfo (field 5, octal-escaped). */
    static boolean isMountPoint(Path dir) {
        try {
            String target = dir.toAbsolutePath().normalize().toString();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 4 && unescape(fields[4]).equals(target)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
