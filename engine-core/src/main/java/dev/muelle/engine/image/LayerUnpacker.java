package dev.muelle.engine.image;

import com.github.luben.zstd.ZstdInputStream;
import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import dev.muelle.engine.errors.EngineException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks one layer tar (gzip, zstd or plain, told apart by magic bytes) into a directory in the
 * form overlayfs reads as a lower layer, computing the layer's diff ID (sha256 of the uncompressed
 * tar) in the same pass. The tar is streamed; no entry is held in memory.
 *
 * <p>OCI whiteouts become overlay whiteouts: {@code .wh.NAME} becomes a char device 0:0 named
 * NAME, {@code .wh..wh..opq} becomes {@code trusted.overlay.opaque=y} on its directory.
 *
 * <p>Safety invariant: nothing outside {@code root} is ever created, changed or followed. Entry
 * names are cleaned lexically (absolute names are taken relative to the root, as dockerd does);
 * a name that climbs above the root, a path through a symlink, or a hardlink to something outside
 * the layer is refused with {@code InvalidParameter} naming the entry. Writes replace existing
 * symlinks instead of following them.
 */
final class LayerUnpacker {

    private static final Logger log = LoggerFactory.getLogger(LayerUnpacker.class);

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String WHITEOUT_META_PREFIX = ".wh..wh.";
    static final String WHITEOUT_OPAQUE = ".wh..wh..opq";
    static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final String PAX_XATTR = "SCHILY.xattr.";

    /** What unpacking produced: the diff ID, the bytes of file content, and whether the tar was empty. */
    record Result(Digest diffId, long size, int entries) {
    }

    private record DirTime(Path dir, FileTime mtime) {
    }

    private final Path root;
    private final boolean privileged = Libc.INSTANCE.geteuid() == 0;
    private final Deque<DirTime> dirTimes = new ArrayDeque<>();

    private LayerUnpacker(Path root) {
        this.root = root;
    }

    /**
     * Unpacks {@code layer} into the existing, empty directory {@code root}. {@code layerBytes}
     * is the stream's length as given, -1 if unknown.
     */
    static Result unpack(InputStream layer, long layerBytes, Path root) throws IOException {
        return new LayerUnpacker(root).run(layer, layerBytes);
    }

    /** Wraps {@code in} in the decompressor its first bytes call for (gzip, zstd, or none). */
    static InputStream decompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(4);
        byte[] magic = buffered.readNBytes(4);
        buffered.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(buffered, 64 * 1024);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return new ZstdInputStream(buffered);
        }
        return buffered;
    }

    private Result run(InputStream layer, long layerBytes) throws IOException {
        InputStream tarStream = decompressed(layer);
        boolean compressed = tarStream instanceof GZIPInputStream || tarStream instanceof ZstdInputStream;
        long tarBytes = layerBytes < 0 ? -1 : compressed ? layerBytes * 4 : layerBytes; // layers compress 2-4x
        MessageDigest sha = Digest.sha256(tarBytes);
        DigestInputStream hashed = new DigestInputStream(tarStream, sha);
        long size = 0;
        int entries = 0;
        TarArchiveInputStream tar = new TarArchiveInputStream(hashed);
        TarArchiveEntry entry;
        while ((entry = nextEntry(tar)) != null) {
            entries++;
            size += apply(entry, tar);
        }
        // The diff ID covers the whole uncompressed stream, end-of-archive blocks included.
        hashed.transferTo(OutputStream.nullOutputStream());
        while (!dirTimes.isEmpty()) {
            DirTime d = dirTimes.pop();
            setTimes(d.dir(), d.mtime());
        }
        return new Result(Digest.of(sha), size, entries);
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) {
        try {
            return tar.getNextEntry();
        } catch (IOException e) {
            throw new EngineException.InvalidParameter("invalid layer tar: " + e.getMessage(), e);
        }
    }

    /** Applies one entry; returns the content bytes it wrote. */
    private long apply(TarArchiveEntry entry, InputStream content) throws IOException {
        String name = entry.getName();
        List<String> parts = clean(name);
        if (parts.isEmpty()) {
            if (entry.isDirectory()) {
                applyMetadata(root, entry);
            }
            return 0;
        }
        String base = parts.get(parts.size() - 1);
        Path parent = parentDir(name, parts.subList(0, parts.size() - 1));
        if (base.startsWith(WHITEOUT_PREFIX)) {
            applyWhiteout(entry, parent, base);
            return 0;
        }
        Path target = parent.resolve(base);
        boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (exists && !(entry.isDirectory() && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS))) {
            FileTrees.deleteRecursively(target);
            exists = false;
        }
        long written = 0;
        if (entry.isDirectory()) {
            if (!exists) {
                Files.createDirectory(target);
            }
        } else if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
            Files.createLink(target, hardlinkTarget(name, entry.getLinkName()));
            return 0; // the link shares its target's inode, content and metadata
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            int type = entry.isCharacterDevice() ? Libc.S_IFCHR : entry.isBlockDevice() ? Libc.S_IFBLK : Libc.S_IFIFO;
            mknod(target, type | (entry.getMode() & 07777), Libc.makedev(entry.getDevMajor(), entry.getDevMinor()));
        } else if (entry.isFile()) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                written = content.transferTo(out);
            }
        } else {
            throw refused(name, "unsupported tar entry type '" + (char) entry.getLinkFlag() + "'");
        }
        applyMetadata(target, entry);
        return written;
    }

    private void applyWhiteout(TarArchiveEntry entry, Path parent, String base) throws IOException {
        if (base.equals(WHITEOUT_OPAQUE)) {
            setXattr(parent, OVERLAY_OPAQUE_XATTR, "y".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (base.startsWith(WHITEOUT_META_PREFIX)) {
            return; // aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): meaningless to overlay
        }
        Path hidden = parent.resolve(base.substring(WHITEOUT_PREFIX.length()));
        FileTrees.deleteRecursively(hidden);
        mknod(hidden, Libc.S_IFCHR, 0);
        chown(hidden, entry);
        setTimes(hidden, entry.getLastModifiedTime());
    }

    /**
     * Cleans a tar name to path components under the root. {@code ..} may only cancel a component
     * named before it; one that would climb above the root is refused.
     */
    static List<String> clean(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw refused(name, "path escapes the layer root");
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(part);
            }
        }
        return parts;
    }

    /**
     * The directory an entry goes into, creating missing parents (0755, as dockerd does). Every
     * existing component must be a real directory: writing through a symlink could land anywhere.
     */
    private Path parentDir(String name, List<String> parts) throws IOException {
        Path dir = root;
        for (String part : parts) {
            dir = dir.resolve(part);
            if (Files.isSymbolicLink(dir)) {
                throw refused(name, "path passes through symlink " + root.relativize(dir));
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir);
                chmod(dir, 0755);
            } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(name, "parent " + root.relativize(dir) + " is not a directory");
            }
        }
        return dir;
    }

    private Path hardlinkTarget(String name, String linkName) throws IOException {
        List<String> parts;
        try {
            parts = clean(linkName);
        } catch (EngineException.InvalidParameter e) {
            throw refused(name, "hardlink target " + linkName + " escapes the layer root");
        }
        if (parts.isEmpty()) {
            throw refused(name, "hardlink to the layer root");
        }
        Path dir = root;
        for (String part : parts.subList(0, parts.size() - 1)) {
            dir = dir.resolve(part);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(name, "hardlink target " + linkName + " is not in this layer");
            }
        }
        Path target = dir.resolve(parts.get(parts.size() - 1));
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(name, "hardlink target " + linkName + " is not a file in this layer");
        }
        return target;
    }

    private void applyMetadata(Path path, TarArchiveEntry entry) throws IOException {
        chown(path, entry);
        boolean symlink = entry.isSymbolicLink();
        if (!symlink) {
            // after chown: chown clears setuid/setgid bits
            chmod(path, entry.getMode() & 07777);
        }
        for (Map.Entry<String, String> h : entry.getExtraPaxHeaders().entrySet()) {
            if (h.getKey().startsWith(PAX_XATTR)) {
                setXattr(path, h.getKey().substring(PAX_XATTR.length()), h.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        FileTime mtime = entry.getLastModifiedTime();
        if (entry.isDirectory()) {
            dirTimes.push(new DirTime(path, mtime)); // later entries change a directory's mtime
        } else {
            setTimes(path, mtime);
        }
    }

    private void chown(Path path, TarArchiveEntry entry) {
        if (!privileged) {
            return; // an unprivileged store keeps files as its own user, as rootless engines do
        }
        try {
            Libc.INSTANCE.lchown(path.toString(), (int) entry.getLongUserId(), (int) entry.getLongGroupId());
        } catch (LastErrorException e) {
            throw failed("lchown", path, e);
        }
    }

    private static void chmod(Path path, int mode) {
        try {
            Libc.INSTANCE.fchmodat(Libc.AT_FDCWD, path.toString(), mode, 0);
        } catch (LastErrorException e) {
            throw failed("chmod", path, e);
        }
    }

    private static void mknod(Path path, int mode, long dev) {
        try {
            Libc.INSTANCE.mknodat(Libc.AT_FDCWD, path.toString(), mode, dev);
        } catch (LastErrorException e) {
            throw failed("mknod", path, e);
        }
    }

    private void setXattr(Path path, String name, byte[] value) {
        if (!privileged && name.startsWith("trusted.")) {
            log.debug("skipping {} on {}: trusted xattrs need root", name, path);
            return;
        }
        try {
            Libc.INSTANCE.lsetxattr(path.toString(), name, value, new NativeLong(value.length), 0);
        } catch (LastErrorException e) {
            throw failed("lsetxattr " + name, path, e);
        }
    }

    private static void setTimes(Path path, FileTime mtime) {
        long sec = mtime.toInstant().getEpochSecond();
        long nsec = mtime.toInstant().getNano();
        try {
            Libc.INSTANCE.utimensat(Libc.AT_FDCWD, path.toString(), new long[] {sec, nsec, sec, nsec}, Libc.AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw failed("utimensat", path, e);
        }
    }

    private static EngineException.InvalidParameter refused(String entry, String why) {
        return new EngineException.InvalidParameter("refusing layer entry \"" + entry + "\": " + why);
    }

    private static EngineException.SystemError failed(String call, Path path, LastErrorException e) {
        return new EngineException.SystemError(call + " " + path + ": errno " + e.getErrorCode(), e);
    }
}
