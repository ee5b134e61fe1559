package dev.muelle.engine.volume;

import com.sun.jna.LastErrorException;
import dev.muelle.engine.errors.EngineException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A directory tree that no path can leave: a volume's {@code _data} or a container's root
 * filesystem. Shared by the container archive API ({@code docker cp}) and the volume file API.
 *
 * <p>How confinement works: the root is held open as a descriptor; every lookup is one
 * {@code openat2(2)} relative to it with {@code RESOLVE_NO_MAGICLINKS} and either
 * {@code RESOLVE_IN_ROOT} ({@link Scope#IN_ROOT}: {@code ..} and absolute symlinks stop at the
 * root, as a container sees its filesystem) or {@code RESOLVE_BENEATH} ({@link Scope#BENEATH}:
 * any escape fails with EXDEV). The kernel resolves the whole path atomically, so a symlink
 * swapped in between a check and a use is resolved under the same rules. Operations on the final
 * component go through the resolved parent's descriptor ({@code /proc/self/fd/N/leaf} or
 * {@code *at} calls) and never follow a symlink there. No path-string check is relied on.
 *
 * <p>Instances are not thread-safe for close, but lookups may run concurrently. Close releases
 * the root descriptor.
 */
public final class RootedFs implements AutoCloseable {

    /** How {@code ..} and absolute symlinks are treated. */
    public enum Scope {
        /** As inside a container: they resolve against the root (chroot semantics). */
        IN_ROOT(FsCalls.RESOLVE_IN_ROOT | FsCalls.RESOLVE_NO_MAGICLINKS),
        /** Any path or symlink that would leave the root is refused. */
        BENEATH(FsCalls.RESOLVE_BENEATH | FsCalls.RESOLVE_NO_MAGICLINKS);

        final long resolve;

        Scope(long resolve) {
            this.resolve = resolve;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final int rootFd;
    private final Scope scope;

    private RootedFs(Path root, int rootFd, Scope scope) {
        this.root = root;
        this.rootFd = rootFd;
        this.scope = scope;
    }

    /** Opens {@code root} (an engine-controlled host directory) as a confined tree. */
    public static RootedFs open(Path root, Scope scope) {
        try {
            int fd = FsCalls.openat2(-100, root.toString(), FsCalls.O_PATH | FsCalls.O_DIRECTORY, 0, 0);
            return new RootedFs(root, fd, scope);
        } catch (LastErrorException e) {
            throw new EngineException.SystemError("cannot open " + root + ": " + FsCalls.C.strerror(e.getErrorCode()));
        }
    }

    public Path root() {
        return root;
    }

    Scope scope() {
        return scope;
    }

    @Override
    public void close() {
        FsCalls.closeQuietly(rootFd);
    }

    // ------------------------------------------------------------------ handles

    /** An open descriptor of a resolved path; {@link #proc()} reaches it without re-resolving names. */
    static final class Handle implements AutoCloseable {
        final int fd;

        Handle(int fd) {
            this.fd = fd;
        }

        Path proc() {
            return Path.of("/proc/self/fd/" + fd);
        }

        Path child(String leaf) {
            return Path.of("/proc/self/fd/" + fd, leaf);
        }

        @Override
        public void close() {
            FsCalls.closeQuietly(fd);
        }
    }

    /** A resolved parent directory and the final component to act on inside it. */
    record Parent(Handle dir, String leaf) implements AutoCloseable {
        Path path() {
            return dir.child(leaf);
        }

        @Override
        public void close() {
            dir.close();
        }
    }

    /**
     * Lexically tidies a client path into a relative one ("" is the root): repeated and trailing
     * slashes go, "." components go. {@code ..} stays: the kernel resolves it under the scope.
     */
    public static String relative(String path) {
        if (path == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return String.join("/", parts);
    }

    /** Opens {@code path} (O_PATH unless flags say otherwise), following symlinks inside the scope. */
    Handle resolve(String path, int flags) {
        String rel = relative(path);
        try {
            return new Handle(FsCalls.openat2(rootFd, rel.isEmpty() ? "." : rel, flags, 0, scope.resolve));
        } catch (LastErrorException e) {
            throw failure(e.getErrorCode(), path);
        }
    }

    Handle resolveDir(String path) {
        return resolve(path, FsCalls.O_PATH | FsCalls.O_DIRECTORY);
    }

    /** The parent of {@code path}, resolved; the leaf itself is not looked at. */
    Parent parent(String path) {
        String rel = relative(path);
        int slash = rel.lastIndexOf('/');
        String leaf = slash < 0 ? rel : rel.substring(slash + 1);
        if (leaf.isEmpty() || leaf.equals("..")) {
            throw new EngineException.InvalidParameter("path " + path + " names the root or its parent: not allowed here");
        }
        return new Parent(resolveDir(slash < 0 ? "" : rel.substring(0, slash)), leaf);
    }

    static EngineException failure(int errno, String path) {
        return switch (errno) {
            case FsCalls.ENOENT -> new EngineException.NotFound("no such file or directory: " + path);
            case FsCalls.ENOTDIR -> new EngineException.NotFound("not a directory: " + path);
            case FsCalls.EXDEV -> new EngineException.Forbidden("path " + path + " leads outside its root");
            case FsCalls.ELOOP -> new EngineException.InvalidParameter("path " + path + " is or passes a symbolic link that cannot be followed here");
            case FsCalls.EEXIST -> new EngineException.Conflict("file exists: " + path);
            case FsCalls.EISDIR -> new EngineException.InvalidParameter("is a directory: " + path);
            case FsCalls.ENOTEMPTY -> new EngineException.Conflict("directory not empty: " + path);
            default -> new EngineException.SystemError(path + ": " + FsCalls.C.strerror(errno));
        };
    }

    static EngineException failure(IOException e, String path) {
        if (e instanceof NoSuchFileException) {
            return new EngineException.NotFound("no such file or directory: " + path);
        }
        if (e instanceof FileAlreadyExistsException) {
            return new EngineException.Conflict("file exists: " + path);
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("Too many levels of symbolic links") || m.contains("symbolic link")) {
            return new EngineException.InvalidParameter("path " + path + " is a symbolic link that cannot be followed here");
        }
        if (m.contains("Directory not empty")) {
            return new EngineException.Conflict("directory not empty: " + path);
        }
        if (m.contains("Not a directory")) {
            return new EngineException.NotFound("not a directory: " + path);
        }
        return new EngineException.SystemError(path + ": " + m, e);
    }

    // ------------------------------------------------------------------ reading

    /** lstat of {@code path}'s final component (a symlink is described, not followed). */
    public FileInfo lstat(String path) {
        String rel = relative(path);
        if (rel.isEmpty()) {
            try (Handle h = resolveDir("")) {
                return FileInfo.read(h.proc(), "/", true);
            } catch (IOException e) {
                throw failure(e, path);
            }
        }
        try (Parent p = parent(rel)) {
            return FileInfo.read(p.path(), p.leaf(), false);
        } catch (IOException e) {
            throw failure(e, path);
        }
    }

    /** stat of what {@code path} leads to, symlinks followed inside the scope. */
    public FileInfo stat(String path) {
        String rel = relative(path);
        try (Handle h = resolve(rel, FsCalls.O_PATH)) {
            String name = rel.isEmpty() ? "/" : rel.substring(rel.lastIndexOf('/') + 1);
            return FileInfo.read(h.proc(), name, true);
        } catch (IOException e) {
            throw failure(e, path);
        }
    }

    /** The entries of directory {@code path}, sorted by name; symlinks are described, not followed. */
    public List<FileInfo> list(String path) {
        try (Handle dir = resolveDir(path); DirectoryStream<Path> ds = Files.newDirectoryStream(dir.proc())) {
            List<FileInfo> out = new ArrayList<>();
            for (Path p : ds) {
                String name = p.getFileName().toString();
                try {
                    out.add(FileInfo.read(dir.child(name), name, false));
                } catch (NoSuchFileException gone) {
                    // removed while listing
                }
            }
            out.sort(java.util.Comparator.comparing(FileInfo::name));
            return out;
        } catch (IOException e) {
            throw failure(e, path);
        }
    }

    /** A regular file for reading; the caller closes it. Symlinks are followed inside the scope. */
    public FileChannel openRead(String path) {
        try (Handle h = resolve(path, FsCalls.O_PATH)) {
            FileInfo info = FileInfo.read(h.proc(), path, true);
            if (info.type() == FileInfo.Type.DIRECTORY) {
                throw new EngineException.InvalidParameter("is a directory: " + path);
            }
            if (info.type() != FileInfo.Type.FILE) {
                throw new EngineException.InvalidParameter("not a regular file: " + path);
            }
            // Reopening through the magic link reuses the resolved inode; no name is looked up again.
            return FileChannel.open(h.proc(), StandardOpenOption.READ);
        } catch (IOException e) {
            throw failure(e, path);
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Replaces (or creates) the regular file {@code path} with {@code data}: written to a
     * temporary file beside it and renamed over it, so readers see the old or the new content,
     * never half. An existing file's mode and owner are kept; a new file gets {@code newMode}.
     * {@code precondition} runs just before the rename with the current state (null if absent)
     * and may throw to refuse.
     */
    public FileInfo replaceFile(String path, InputStream data, int newMode, java.util.function.Consumer<FileInfo> precondition) {
        try (Parent p = parent(path)) {
            FileInfo before = existing(p);
            if (before != null && before.type() != FileInfo.Type.FILE) {
                throw new EngineException.Conflict("cannot replace " + path + ": it is a " + before.type().word());
            }
            precondition.accept(before);
            String tmp = "." + p.leaf() + ".muelle-" + HexFormat.of().formatHex(randomBytes());
            Path tmpPath = p.dir().child(tmp);
            try {
                try (FileChannel out = FileChannel.open(tmpPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    byte[] buf = new byte[1 << 20];
                    int n;
                    while ((n = data.read(buf)) > 0) {
                        var bb = java.nio.ByteBuffer.wrap(buf, 0, n);
                        while (bb.hasRemaining()) {
                            out.write(bb);
                        }
                    }
                    out.force(false);
                }
                int mode = before == null ? newMode : before.mode();
                if (before != null) {
                    chown(p.dir(), tmp, before.uid(), before.gid());
                }
                chmod(p.dir(), tmp, mode);
                precondition.accept(existing(p));
                rename(p.dir(), tmp, p.dir(), p.leaf(), true);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(p.dir(), tmp);
                throw e;
            }
            return FileInfo.read(p.path(), p.leaf(), false);
        } catch (IOException e) {
            throw failure(e, path);
        }
    }

    private static FileInfo existing(Parent p) throws IOException {
        try {
            return FileInfo.read(p.path(), p.leaf(), false);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }

    /** mkdir; with {@code parents}, missing parents too and no error if it exists as a directory. */
    public void mkdir(String path, int mode, boolean parents) {
        String rel = relative(path);
        if (parents) {
            try (Handle ignored = resolveDir(rel)) {
                return;
            } catch (EngineException.NotFound missing) {
                int slash = rel.lastIndexOf('/');
                if (slash > 0) {
                    mkdir(rel.substring(0, slash), mode, true);
                }
            }
        }
        try (Parent p = parent(rel)) {
            FsCalls.C.mkdirat(p.dir().fd, p.leaf(), mode);
            chmod(p.dir(), p.leaf(), mode);
        } catch (LastErrorException e) {
            if (parents && e.getErrorCode() == FsCalls.EEXIST && lstat(rel).type() == FileInfo.Type.DIRECTORY) {
                return;
            }
            throw failure(e.getErrorCode(), path);
        }
    }

    /** rename(2) of {@code from} to {@code to}, both inside this tree; refuses to replace unless {@code overwrite}. */
    public void rename(String from, String to, boolean overwrite) {
        try (Parent a = parent(from); Parent b = parent(to)) {
            rename(a.dir(), a.leaf(), b.dir(), b.leaf(), overwrite);
        }
    }

    private static void rename(Handle fromDir, String from, Handle toDir, String to, boolean overwrite) {
        try {
            FsCalls.C.renameat2(fromDir.fd, from, toDir.fd, to, overwrite ? 0 : FsCalls.RENAME_NOREPLACE);
        } catch (LastErrorException e) {
            throw failure(e.getErrorCode(), to);
        }
    }

    /** Removes a file, symlink or empty directory; with {@code recursive}, a whole tree (never following symlinks). */
    public void delete(String path, boolean recursive) {
        try (Parent p = parent(path)) {
            FileInfo info = FileInfo.read(p.path(), p.leaf(), false);
            if (info.type() == FileInfo.Type.DIRECTORY) {
                if (recursive) {
                    emptyDirectory(p.dir(), p.leaf());
                }
                FsCalls.C.unlinkat(p.dir().fd, p.leaf(), FsCalls.AT_REMOVEDIR);
            } else {
                FsCalls.C.unlinkat(p.dir().fd, p.leaf(), 0);
            }
        } catch (LastErrorException e) {
            throw failure(e.getErrorCode(), path);
        } catch (IOException e) {
            throw failure(e, path);
        }
    }

    private static void emptyDirectory(Handle parent, String name) throws IOException {
        try (Handle dir = openChildDir(parent, name); DirectoryStream<Path> ds = Files.newDirectoryStream(dir.proc())) {
            for (Path p : ds) {
                String child = p.getFileName().toString();
                if (Files.isDirectory(dir.child(child), LinkOption.NOFOLLOW_LINKS)) {
                    emptyDirectory(dir, child);
                    FsCalls.C.unlinkat(dir.fd, child, FsCalls.AT_REMOVEDIR);
                } else {
                    FsCalls.C.unlinkat(dir.fd, child, 0);
                }
            }
        }
    }

    /** A child directory of an open directory, never through a symlink. */
    static Handle openChildDir(Handle parent, String name) {
        try {
            return new Handle(FsCalls.openat2(parent.fd, name, FsCalls.O_PATH | FsCalls.O_DIRECTORY, 0,
                    FsCalls.RESOLVE_BENEATH | FsCalls.RESOLVE_NO_SYMLINKS | FsCalls.RESOLVE_NO_MAGICLINKS));
        } catch (LastErrorException e) {
            throw failure(e.getErrorCode(), name);
        }
    }

    static void chown(Handle dir, String leaf, int uid, int gid) {
        try {
            FsCalls.C.fchownat(dir.fd, leaf, uid, gid, FsCalls.AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw failure(e.getErrorCode(), leaf);
        }
    }

    /** chmod without following a symlink (symlinks have no mode of their own: skipped by callers). */
    static void chmod(Handle dir, String leaf, int mode) {
        try {
            FsCalls.C.fchmodat(dir.fd, leaf, mode & 07777, FsCalls.AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw failure(e.getErrorCode(), leaf);
        }
    }

    static void setMtime(Handle dir, String leaf, FileTime mtime) {
        long ms = mtime.toMillis();
        long sec = Math.floorDiv(ms, 1000);
        long nsec = Math.floorMod(ms, 1000) * 1_000_000L;
        try {
            FsCalls.C.utimensat(dir.fd, leaf, new long[] {sec, nsec, sec, nsec}, FsCalls.AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw failure(e.getErrorCode(), leaf);
        }
    }

    private static void deleteQuietly(Handle dir, String leaf) {
        try {
            FsCalls.C.unlinkat(dir.fd, leaf, 0);
        } catch (LastErrorException ignored) {
            // already gone
        }
    }

    // ------------------------------------------------------------------ totals

    /** Bytes in regular files (each hard-linked inode once) and entries under {@code path}. */
    public record Usage(long size, long files) {
    }

    public Usage usage(String path) {
        long[] acc = new long[2];
        java.util.Set<Object> seen = new java.util.HashSet<>();
        try (Handle h = resolveDir(path)) {
            walkUsage(h, acc, seen);
        } catch (IOException e) {
            throw failure(e, path);
        }
        return new Usage(acc[0], acc[1]);
    }

    private static void walkUsage(Handle dir, long[] acc, java.util.Set<Object> seen) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.proc())) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                Map<String, Object> a;
                try {
                    a = Files.readAttributes(dir.child(name), "unix:mode,size,ino,dev,nlink", LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                acc[1]++;
                int mode = (Integer) a.get("mode");
                if ((mode & 0170000) == 0040000) {
                    try (Handle child = openChildDir(dir, name)) {
                        walkUsage(child, acc, seen);
                    } catch (EngineException swapped) {
                        // replaced by a symlink meanwhile: not ours to follow
                    }
                } else if ((mode & 0170000) == 0100000) {
                    if ((Integer) a.get("nlink") > 1 && !seen.add(List.of(a.get("dev"), a.get("ino")))) {
                        continue;
                    }
                    acc[0] += (Long) a.get("size");
                }
            }
        }
    }
}
