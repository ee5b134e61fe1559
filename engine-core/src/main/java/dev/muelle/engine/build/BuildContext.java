package dev.muelle.engine.build;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.image.FileTrees;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The files a build may read: the context tar a client sent, unpacked into a private dir (a
 * {@link ContextTree}).
 *
 * <p>Invariant: nothing outside {@link #root} is written while unpacking (names climbing above
 * the root or passing through a symlink are refused) and nothing outside it is read later
 * ({@link #resolve} follows symlinks as if the root were {@code /}). Owners are not kept: COPY
 * gives files to root unless {@code --chown} says otherwise. {@link #close} hands the dir back
 * (or deletes it).
 */
public final class BuildContext implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BuildContext.class);

    private final Path root;
    private final DockerIgnore ignore;
    private final Function<String, byte[]> checksums;
    private Runnable onClose;

    private BuildContext(Path root, DockerIgnore ignore, Function<String, byte[]> checksums) {
        this.root = root;
        this.ignore = ignore;
        this.checksums = checksums;
    }

    /**
     * The context in {@code root}, already unpacked, with the sha256 of its regular files by
     * relative path ({@code checksums} answers null for a file it does not know); {@code onClose}
     * runs instead of deleting it.
     */
    static BuildContext open(Path root, Function<String, byte[]> checksums, Runnable onClose) {
        try {
            Path ignoreFile = root.resolve(".dockerignore");
            DockerIgnore ignore = Files.isRegularFile(ignoreFile, LinkOption.NOFOLLOW_LINKS)
                    ? DockerIgnore.parse(Files.readString(ignoreFile, StandardCharsets.UTF_8)) : DockerIgnore.none();
            BuildContext ctx = new BuildContext(root, ignore, checksums);
            ctx.onClose = onClose;
            return ctx;
        } catch (IOException e) {
            throw new EngineException.InvalidParameter("cannot read .dockerignore: " + e.getMessage(), e);
        }
    }

    /** An unpacked context dir that already exists (tests, or a context read another way). */
    static BuildContext of(Path root, DockerIgnore ignore) {
        return new BuildContext(root, ignore, rel -> null);
    }

    static InputStream decompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        try {
            return new CompressorStreamFactory().createCompressorInputStream(buffered);
        } catch (CompressorException notCompressed) {
            return buffered;
        }
    }

    static void setMode(Path p, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        Files.setPosixFilePermissions(p, perms);
    }

    static void setTimes(Path p, FileTime mtime) throws IOException {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(mtime, null, null);
    }

    public Path root() {
        return root;
    }

    public DockerIgnore ignore() {
        return ignore;
    }

    /** The sha256 of the regular file {@code rel} (relative to the root) if known, else null. */
    byte[] checksum(String rel) {
        return checksums.apply(rel);
    }

    /** The Dockerfile's text; {@code name} is relative to the context root (default {@code Dockerfile}). */
    public String dockerfile(String name) {
        String n = name == null || name.isEmpty() ? "Dockerfile" : name;
        Path file = RootedPath.resolve(root, n, true);
        if (!Files.isRegularFile(file) && (name == null || name.isEmpty())) {
            file = RootedPath.resolve(root, "dockerfile", true);
        }
        if (!Files.isRegularFile(file)) {
            throw new EngineException.InvalidParameter("Cannot locate specified Dockerfile: " + n);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException.InvalidParameter("cannot read Dockerfile " + n + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (onClose != null) {
            onClose.run();
        } else {
            deleteQuietly(root);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            FileTrees.deleteRecursively(p);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", p, e.getMessage());
        }
    }
}
