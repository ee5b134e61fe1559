package dev.muelle.engine.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * The host's device nodes as OCI {@code linux.devices} entries: what a privileged container
 * gets, like Docker's use of runc's {@code devices.HostDevices()}. Skips the same places Docker
 * does (/dev/pts, /dev/shm, /dev/mqueue ... are mounted fresh in the container) and
 * /dev/console, which runc sets up itself.
 */
final class HostDevices {

    private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev");
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private HostDevices() {
    }

    static ArrayNode all() {
        return under(Path.of("/dev"));
    }

    static ArrayNode under(Path devRoot) {
        ArrayNode devices = JsonNodeFactory.instance.arrayNode();
        try {
            Files.walkFileTree(devRoot, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(devRoot) && SKIPPED_DIRS.contains(dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!attrs.isOther() || file.getFileName().toString().equals("console")) {
                        return FileVisitResult.CONTINUE;
                    }
                    ObjectNode device = describe(file, "/dev/" + devRoot.relativize(file));
                    if (device != null) {
                        devices.add(device);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // devices come and go; a vanished one is not an error
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list host devices under " + devRoot, e);
        }
        return devices;
    }

    /**
     * The OCI {@code linux.devices} entry for the device node {@code file} as it appears at
     * {@code containerPath}, or null when {@code file} is not a character or block device.
     */
    static ObjectNode describe(Path file, String containerPath) throws IOException {
        int mode = (Integer) Files.getAttribute(file, "unix:mode");
        int kind = mode & S_IFMT;
        if (kind != S_IFCHR && kind != S_IFBLK) {
            return null;
        }
        long rdev = (Long) Files.getAttribute(file, "unix:rdev");
        return JsonNodeFactory.instance.objectNode()
                .put("path", containerPath)
                .put("type", kind == S_IFCHR ? "c" : "b")
                .put("major", major(rdev))
                .put("minor", minor(rdev))
                .put("fileMode", mode & 07777)
                .put("uid", (Integer) Files.getAttribute(file, "unix:uid"))
                .put("gid", (Integer) Files.getAttribute(file, "unix:gid"));
    }

    /** glibc's gnu_dev_major. */
    static long major(long rdev) {
        return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    }

    /** glibc's gnu_dev_minor. */
    static long minor(long rdev) {
        return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    }
}
