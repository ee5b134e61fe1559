package dev.muelle.engine.build;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.image.FileTrees;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The files a build may read: the context tar a client sent, unpacked into a private temp dir.
 *
 * <p>Invariant: nothing outside {@link #root} is written while unpacking (names climbing above
 * the root or passing through a symlink are refused) and nothing outside it is read later
 * ({@link #resolve} follows symlinks as if the root were {@code /}). Owners are not kept: COPY
 * gives files to root unless {@code --chown} says otherwise. {@link #close} deletes the dir.
 */
public final class BuildContext implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BuildContext.class);

    private final Path root;
    private final DockerIgnore ignore;
    private Runnable onClose;

    private BuildContext(Path root, DockerIgnore ignore) {
        this.root = root;
        this.ignore = ignore;
    }

    /**
     * Unpacks an uncompressed context tar into the new directory {@code root} and reads its
     * {@code .dockerignore}; on failure nothing is left behind.
     */
    static void unpackInto(InputStream tar, Path root) {
        try {
            Files.createDirectories(root);
            untar(tar, root);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(root);
            if (e instanceof EngineException ee) {
                throw ee;
            }
            throw new EngineException.InvalidParameter("failed to read build context: " + e.getMessage(), e);
        }
    }

    /** The context in {@code root}, already unpacked; {@code onClose} runs instead of deleting it. */
    static BuildContext open(Path root, Runnable onClose) {
        try {
            Path ignoreFile = root.resolve(".dockerignore");
            DockerIgnore ignore = Files.isRegularFile(ignoreFile, LinkOption.NOFOLLOW_LINKS)
                    ? DockerIgnore.parse(Files.readString(ignoreFile, StandardCharsets.UTF_8)) : DockerIgnore.none();
            BuildContext ctx = new BuildContext(root, ignore);
            ctx.onClose = onClose;
            return ctx;
        } catch (IOException e) {
            throw new EngineException.InvalidParameter("cannot read .dockerignore: " + e.getMessage(), e);
        }
    }

    /** An unpacked context dir that already exists (tests, or a context read another way). */
    static BuildContext of(Path root, DockerIgnore ignore) {
        return new BuildContext(root, ignore);
    }

    /**
     * Unpacks a tar into the existing dir {@code root} with the context's confinement rules;
     * also how {@code ADD} extracts a local archive.
     */
    static void untar(InputStream in, Path root) throws IOException {
        List<Object[]> dirTimes = new ArrayList<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            unpack(root, e, tar, dirTimes);
        }
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            setTimes((Path) dirTimes.get(i)[0], (FileTime) dirTimes.get(i)[1]);
        }
    }

    static InputStream decompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        try {
            return new CompressorStreamFactory().createCompressorInputStream(buffered);
        } catch (CompressorException notCompressed) {
            return buffered;
        }
    }

    private static void unpack(Path root, TarArchiveEntry e, InputStream content, List<Object[]> dirTimes)
            throws IOException {
        String cleaned = DockerIgnore.clean(e.getName());
        if (e.getName().contains("..") && !cleaned.isEmpty() && !within(e.getName())) {
            throw new EngineException.InvalidParameter("refusing context entry \"" + e.getName() + "\": path escapes the context");
        }
        if (cleaned.isEmpty()) {
            return;
        }
        Path target = root.resolve(cleaned);
        Path parent = root;
        for (Path part : root.relativize(target.getParent() == null ? root : target.getParent())) {
            if (part.toString().isEmpty()) {
                break;
            }
            parent = parent.resolve(part);
            if (Files.isSymbolicLink(parent)) {
                throw new EngineException.InvalidParameter("refusing context entry \"" + e.getName()
                        + "\": path passes through a symlink");
            }
            if (!Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(parent);
            }
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !(e.isDirectory() && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS))) {
            deleteQuietly(target);
        }
        if (e.isDirectory()) {
            Files.createDirectories(target);
            setMode(target, e.getMode());
            dirTimes.add(new Object[] {target, e.getLastModifiedTime()});
            return;
        }
        if (e.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            setTimes(target, e.getLastModifiedTime());
            return;
        }
        if (e.isLink()) {
            String link = DockerIgnore.clean(e.getLinkName());
            if (!within(e.getLinkName()) || link.isEmpty()) {
                throw new EngineException.InvalidParameter("refusing context entry \"" + e.getName() + "\": hardlink outside the context");
            }
            Files.copy(RootedPath.resolve(root, link, false), target, StandardCopyOption.COPY_ATTRIBUTES,
                    LinkOption.NOFOLLOW_LINKS);
            return;
        }
        if (!e.isFile()) {
            return; // devices and fifos have no business in a build context
        }
        Files.copy(content, target);
        setMode(target, e.getMode());
        setTimes(target, e.getLastModifiedTime());
    }

    private static boolean within(String name) {
        int depth = 0;
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                if (--depth < 0) {
                    return false;
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
        }
        return true;
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
