package dev.muelle.engine.volume;

import dev.muelle.engine.errors.EngineException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The volume file API's operations (the desktop app's volume browser): browse, read, write with
 * conflict detection, upload, mkdir, move, delete, download, usage, clone, export and import.
 * Works whether or not a container has the volume mounted.
 *
 * <p>Every path is relative to the volume's root ({@code /} is the root); a {@code ..}
 * component is refused outright, and resolution is {@link RootedFs.Scope#BENEATH}, so a symlink
 * leading out of the volume is refused (403) rather than followed. Writes of one volume are
 * serialised here, so a precondition ({@code If-Match} ETag or expected sha256) and the write it
 * guards see the same file; a container writing meanwhile is caught by the ETag re-check made
 * just before the atomic rename.
 */
public final class VolumeFiles {

    private final VolumeService volumes;
    private final Map<String, ReentrantLock> writeLocks = new ConcurrentHashMap<>();

    public VolumeFiles(VolumeService volumes) {
        this.volumes = volumes;
    }

    /** What a write must find before it replaces a file; any null field is not checked. */
    public record Precondition(String ifMatch, boolean mustNotExist, String expectedSha256) {
        public static final Precondition NONE = new Precondition(null, false, null);
    }

    static String checked(String path) {
        if (path == null) {
            return "";
        }
        for (String p : path.split("/")) {
            if (p.equals("..")) {
                throw new EngineException.InvalidParameter("path " + path + " must not contain '..'");
            }
        }
        return RootedFs.relative(path);
    }

    public FileInfo stat(String volume, String path) {
        try (RootedFs fs = volumes.files(volume)) {
            return fs.lstat(checked(path));
        }
    }

    public List<FileInfo> list(String volume, String path) {
        try (RootedFs fs = volumes.files(volume)) {
            return fs.list(checked(path));
        }
    }

    /** A file's content for reading (the caller closes it) with its current description. */
    public record OpenFile(FileInfo info, FileChannel channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    public OpenFile read(String volume, String path) {
        try (RootedFs fs = volumes.files(volume)) {
            String rel = checked(path);
            FileChannel ch = fs.openRead(rel);
            return new OpenFile(fs.stat(rel), ch);
        }
    }

    /** Writes or replaces a file atomically; returns what it is now. */
    public FileInfo write(String volume, String path, InputStream data, int newMode, Precondition pre) {
        String rel = checked(path);
        ReentrantLock lock = writeLocks.computeIfAbsent(volume, k -> new ReentrantLock());
        lock.lock();
        try (RootedFs fs = volumes.files(volume)) {
            return fs.replaceFile(rel, data, newMode, current -> check(fs, rel, current, pre));
        } finally {
            lock.unlock();
        }
    }

    private static void check(RootedFs fs, String rel, FileInfo current, Precondition pre) {
        if (pre.mustNotExist() && current != null) {
            throw new EngineException.Conflict("file " + rel + " already exists");
        }
        if (pre.ifMatch() != null && !pre.ifMatch().equals("*")) {
            if (current == null || !pre.ifMatch().equals(current.etag())) {
                throw new EngineException.Conflict("file " + rel + " was changed since it was read (ETag "
                        + (current == null ? "none, it is gone" : current.etag()) + ", expected " + pre.ifMatch() + ")");
            }
        }
        if (pre.expectedSha256() != null) {
            String now = current == null ? "none" : sha256(fs, rel);
            if (!pre.expectedSha256().equalsIgnoreCase(now)) {
                throw new EngineException.Conflict("file " + rel + " was changed since it was read (sha256 " + now
                        + ", expected " + pre.expectedSha256() + ")");
            }
        }
    }

    private static String sha256(RootedFs fs, String rel) {
        try (FileChannel ch = fs.openRead(rel)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            while (ch.read(buf) > 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new EngineException.SystemError("cannot hash " + rel + ": " + e.getMessage(), e);
        }
    }

    /** Unpacks a tar stream into directory {@code dir} (owners and modes as in the tar). */
    public TreeArchiver.Extracted uploadTar(String volume, String dir, InputStream tar) throws IOException {
        try (RootedFs fs = volumes.files(volume)) {
            return TreeArchiver.extract(fs, checked(dir), tar, TreeArchiver.Ownership.FROM_ARCHIVE, false);
        }
    }

    public void mkdir(String volume, String path, int mode, boolean parents) {
        try (RootedFs fs = volumes.files(volume)) {
            fs.mkdir(checked(path), mode, parents);
        }
    }

    public void move(String volume, String from, String to, boolean overwrite) {
        try (RootedFs fs = volumes.files(volume)) {
            fs.rename(checked(from), checked(to), overwrite);
        }
    }

    public void delete(String volume, String path, boolean recursive) {
        try (RootedFs fs = volumes.files(volume)) {
            fs.delete(checked(path), recursive);
        }
    }

    /**
     * A file or directory of the volume as a tar stream named after its last component. A final
     * symlink is archived as itself unless the path ends in "/" (then it must stay in the volume).
     */
    public void download(String volume, String path, java.util.function.Supplier<OutputStream> out) throws IOException {
        String rel = checked(path);
        boolean follow = path.endsWith("/");
        try (RootedFs fs = volumes.files(volume)) {
            // Resolve before the response starts, so a refused path still gets its 4xx.
            if (follow) {
                fs.stat(rel);
            } else {
                fs.lstat(rel);
            }
            String name = rel.isEmpty() ? "." : rel.substring(rel.lastIndexOf('/') + 1);
            TreeArchiver.write(fs, rel, name, out.get(), Map.of(), follow);
        }
    }

    public RootedFs.Usage usage(String volume) {
        try (RootedFs fs = volumes.files(volume)) {
            return fs.usage("");
        }
    }

    /** A new volume {@code target} holding a copy of {@code source}'s files (independent from then on). */
    public Volume cloneVolume(String source, String target, Map<String, String> labels) throws IOException {
        Volume src = volumes.get(source);
        Volume dst = createNew(target, labels == null ? src.labels() : labels);
        try (RootedFs from = volumes.files(src.name()); RootedFs to = volumes.files(dst.name())) {
            TreeCopy.copy(from, "", to, "");
        } catch (IOException | RuntimeException e) {
            volumes.remove(dst.name(), true);
            throw e;
        }
        return dst;
    }

    /** The whole volume as a tar stream (entries {@code ./...}), for {@link #importVolume}. */
    public void export(String volume, java.util.function.Supplier<OutputStream> out) throws IOException {
        try (RootedFs fs = volumes.files(volume)) {
            TreeArchiver.write(fs, "", ".", out.get(), Map.of(), true);
        }
    }

    /** A new volume {@code name} filled from a tar stream (as {@link #export} writes it). */
    public Volume importVolume(String name, InputStream tar, Map<String, String> labels) throws IOException {
        Volume v = createNew(name, labels);
        try (RootedFs fs = volumes.files(v.name())) {
            TreeArchiver.extract(fs, "", tar, TreeArchiver.Ownership.FROM_ARCHIVE, false);
        } catch (IOException | RuntimeException e) {
            volumes.remove(v.name(), true);
            throw e;
        }
        return v;
    }

    private Volume createNew(String name, Map<String, String> labels) {
        if (name == null || name.isEmpty()) {
            throw new EngineException.InvalidParameter("a name for the new volume is required");
        }
        if (volumes.exists(name)) {
            throw new EngineException.Conflict("volume " + name + " already exists");
        }
        Map<String, String> l = labels == null ? new java.util.LinkedHashMap<>() : new java.util.LinkedHashMap<>(labels);
        l.remove(Volume.ANONYMOUS_LABEL);
        return volumes.create(name, "local", null, l);
    }
}
