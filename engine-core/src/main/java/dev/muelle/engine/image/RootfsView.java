package dev.muelle.engine.image;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import dev.muelle.engine.errors.EngineException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A read-only look at a stack of layer directories as one filesystem: what {@code docker export}
 * streams and what the builder reads {@code COPY --from} sources and existing paths from.
 *
 * <p>Two or more directories are mounted as a read-only overlay (no upper dir, so nothing can
 * change underneath and no work dir is needed) at a private temp mount point; a single directory
 * is used as it is, and none gives an empty directory. {@link #close} unmounts and removes the
 * mount point. Callers must treat {@link #root} as read-only in every case.
 */
public final class RootfsView implements AutoCloseable {

    private final Path root;
    private final Path mountPoint;

    private RootfsView(Path root, Path mountPoint) {
        this.root = root;
        this.mountPoint = mountPoint;
    }

    /** Views {@code dirsTopFirst} (overlay lower-dir order) under a new dir in {@code scratch}. */
    public static RootfsView of(List<Path> dirsTopFirst, Path scratch) {
        try {
            Files.createDirectories(scratch);
            Path mountPoint = Files.createTempDirectory(scratch, "view-");
            if (dirsTopFirst.size() == 1) {
                return new RootfsView(dirsTopFirst.get(0), mountPoint);
            }
            if (dirsTopFirst.size() > 1) {
                String data = "lowerdir=" + dirsTopFirst.stream().map(Path::toString).collect(Collectors.joining(":"));
                try {
                    Libc.INSTANCE.mount("overlay", mountPoint.toString(), "overlay", new NativeLong(1 /* MS_RDONLY */),
                            data);
                } catch (LastErrorException e) {
                    Files.deleteIfExists(mountPoint);
                    throw new EngineException.SystemError("cannot mount a read-only view of " + dirsTopFirst.size()
                            + " layers (errno " + e.getErrorCode() + ")", e);
                }
            }
            return new RootfsView(mountPoint, mountPoint);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot create a rootfs view in " + scratch + ": " + e.getMessage(), e);
        }
    }

    /** A view of an image's layers ({@link Image#layers()}, bottom first). */
    public static RootfsView ofImage(LayerStore layers, Image image, Path scratch) {
        List<Path> dirs = new java.util.ArrayList<>();
        for (int i = image.layers().size() - 1; i >= 0; i--) {
            dirs.add(layers.diff(image.layers().get(i)));
        }
        return of(dirs, scratch);
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        if (Snapshotter.isMountPoint(mountPoint)) {
            try {
                Libc.INSTANCE.umount2(mountPoint.toString(), Libc.MNT_DETACH);
            } catch (LastErrorException e) {
                throw new EngineException.SystemError("cannot unmount " + mountPoint + " (errno " + e.getErrorCode() + ")", e);
            }
        }
        try {
            Files.deleteIfExists(mountPoint);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot remove " + mountPoint + ": " + e.getMessage(), e);
        }
    }
}
