package dev.muelle.engine.image;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns an overlayfs upper dir (a container's changes) back into an OCI layer tar — the inverse
 * of {@link LayerUnpacker}: a whiteout (char device 0:0) becomes an empty {@code .wh.NAME} file,
 * a directory marked {@code trusted.overlay.opaque=y} gets a {@code .wh..wh..opq} entry after its
 * own. It also lists the same changes the way {@code docker diff} does.
 *
 * <p>The tar is deterministic: entries sorted by name (a directory before its contents), only
 * mode, owner, size, whole-second mtime, type and link target in each header, no user or group
 * names, no access or change times, and Go's end (two zero records, no padding to 10 KiB). The
 * same tree therefore always gives the same diff ID, which is what keeps layer digests stable
 * across rebuilds.
 *
 * <p>Symlinks are written as links, never followed; hardlinked files are written once and then
 * as tar hardlinks to the first name.
 */
public final class LayerDiffWriter {

    /** What {@code docker diff} says about a path: its {@code Kind} is 0, 1 or 2 in that order. */
    public enum Kind { MODIFIED, ADDED, DELETED }

    /** One line of {@code docker diff}: {@code path} is absolute. */
    public record Change(String path, Kind kind) {
    }

    private final TarArchiveOutputStream tar;
    private final Map<Object, String> firstNameOfInode = new HashMap<>();
    private final Set<String> skip;

    private LayerDiffWriter(OutputStream out, Set<String> skip) {
        this.skip = skip;
        this.tar = new TarArchiveOutputStream(out, TarConstants.DEFAULT_RCDSIZE);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** Writes the changes in {@code upper} as a layer tar to {@code out} (left open). */
    public static void write(Path upper, OutputStream out) throws IOException {
        write(upper, out, Set.of());
    }

    /**
     * As {@link #write(Path, OutputStream)}, leaving out the relative paths in {@code skip}: files
     * the engine mounts into every container (hosts, resolv.conf) are not the container's changes.
     */
    public static void write(Path upper, OutputStream out, Set<String> skip) throws IOException {
        LayerDiffWriter w = new LayerDiffWriter(out, skip);
        w.walk(upper, "");
        w.tar.finish();
        out.flush();
    }

    private void walk(Path dir, String prefix) throws IOException {
        for (Path child : sortedChildren(dir)) {
            String name = prefix + child.getFileName();
            if (skip.contains(name) || onlySkipped(child, name, skip)) {
                continue;
            }
            Map<String, Object> attrs = Files.readAttributes(child, "unix:mode,uid,gid,rdev,ino,dev,nlink,size,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (int) attrs.get("mode");
            int type = mode & 0170000;
            if (type == Libc.S_IFCHR && ((Number) attrs.get("rdev")).longValue() == 0) {
                String base = child.getFileName().toString();
                putEmpty(prefix + LayerUnpacker.WHITEOUT_PREFIX + base, attrs);
                continue;
            }
            if (type == 0040000) {
                TarArchiveEntry e = entry(name + "/", TarConstants.LF_DIR, attrs);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                if (isOpaque(child)) {
                    putEmpty(name + "/" + LayerUnpacker.WHITEOUT_OPAQUE, attrs);
                }
                walk(child, name + "/");
            } else if (type == 0120000) {
                TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, attrs);
                e.setLinkName(Files.readSymbolicLink(child).toString());
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            } else if (type == 0100000) {
                writeFile(child, name, attrs);
            } else if (type == Libc.S_IFCHR || type == Libc.S_IFBLK || type == Libc.S_IFIFO) {
                byte flag = type == Libc.S_IFCHR ? TarConstants.LF_CHR : type == Libc.S_IFBLK ? TarConstants.LF_BLK
                        : TarConstants.LF_FIFO;
                TarArchiveEntry e = entry(name, flag, attrs);
                long rdev = ((Number) attrs.get("rdev")).longValue();
                e.setDevMajor((int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL)));
                e.setDevMinor((int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL)));
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            // sockets are not part of a layer, as in Docker
        }
    }

    private void writeFile(Path file, String name, Map<String, Object> attrs) throws IOException {
        if (((Number) attrs.get("nlink")).intValue() > 1) {
            Object inode = attrs.get("dev") + ":" + attrs.get("ino");
            String first = firstNameOfInode.putIfAbsent(inode, name);
            if (first != null) {
                TarArchiveEntry link = entry(name, TarConstants.LF_LINK, attrs);
                link.setLinkName(first);
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
                return;
            }
        }
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, attrs);
        e.setSize(((Number) attrs.get("size")).longValue());
        byte[] capability = xattr(file, "security.capability");
        if (capability != null) {
            e.addPaxHeader("SCHILY.xattr.security.capability", new String(capability, StandardCharsets.ISO_8859_1));
        }
        tar.putArchiveEntry(e);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            in.transferTo(tar);
        }
        tar.closeArchiveEntry();
    }

    private void putEmpty(String name, Map<String, Object> attrs) throws IOException {
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, attrs);
        e.setMode(0644);
        e.setSize(0);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    /** A header with only the fields a layer needs, so equal trees give equal bytes. */
    static TarArchiveEntry entry(String name, byte flag, Map<String, Object> attrs) {
        TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
        e.setMode((int) attrs.get("mode") & 07777);
        e.setUserId(((Number) attrs.get("uid")).longValue());
        e.setGroupId(((Number) attrs.get("gid")).longValue());
        e.setUserName("");
        e.setGroupName("");
        FileTime mtime = (FileTime) attrs.get("lastModifiedTime");
        e.setModTime(FileTime.fromMillis(mtime.toInstant().getEpochSecond() * 1000));
        return e;
    }

    /**
     * Whether {@code dir} is in the upper dir only to hold skipped files (runc created it for a
     * mount point): then it is no change of the container's either.
     */
    private static boolean onlySkipped(Path dir, String name, Set<String> skip) throws IOException {
        if (skip.stream().noneMatch(p -> p.startsWith(name + "/")) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        for (Path child : sortedChildren(dir)) {
            String rel = name + "/" + child.getFileName();
            if (!skip.contains(rel) && !onlySkipped(child, rel, skip)) {
                return false;
            }
        }
        return true;
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
    }

    private static boolean isOpaque(Path dir) {
        byte[] v = xattr(dir, LayerUnpacker.OVERLAY_OPAQUE_XATTR);
        return v != null && v.length > 0 && v[0] == 'y';
    }

    private static byte[] xattr(Path path, String name) {
        byte[] buf = new byte[256];
        try {
            int n = Libc.INSTANCE.lgetxattr(path.toString(), name, buf, new NativeLong(buf.length));
            return java.util.Arrays.copyOf(buf, n);
        } catch (LastErrorException e) {
            return null; // ENODATA, or a filesystem without xattrs: the attribute is not there
        }
    }

    // ---- docker diff

    /**
     * The changes in {@code upper} over {@code lowersTopFirst}, sorted by path, as dockerd's
     * overlay driver reports them: a whiteout is D, a path the lower layers have is C (so the
     * parents of a new file show as C), anything else is A.
     */
    public static List<Change> changes(Path upper, List<Path> lowersTopFirst, Set<String> skip) throws IOException {
        List<Change> out = new ArrayList<>();
        collect(upper, "", lowersTopFirst, skip, out);
        return out;
    }

    private static void collect(Path dir, String prefix, List<Path> lowers, Set<String> skip, List<Change> out)
            throws IOException {
        for (Path child : sortedChildren(dir)) {
            String rel = prefix + child.getFileName();
            if (skip.contains(rel) || onlySkipped(child, rel, skip)) {
                continue;
            }
            Map<String, Object> attrs = Files.readAttributes(child, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            int type = (int) attrs.get("mode") & 0170000;
            if (type == Libc.S_IFCHR && ((Number) attrs.get("rdev")).longValue() == 0) {
                out.add(new Change("/" + rel, Kind.DELETED));
                continue;
            }
            out.add(new Change("/" + rel, inLowers(rel, lowers) ? Kind.MODIFIED : Kind.ADDED));
            if (type == 0040000) {
                collect(child, rel + "/", lowers, skip, out);
            }
        }
    }

    private static boolean inLowers(String rel, List<Path> lowers) throws IOException {
        for (Path lower : lowers) {
            Path p = lower.resolve(rel);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Map<String, Object> attrs = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
                boolean whiteout = ((int) attrs.get("mode") & 0170000) == Libc.S_IFCHR
                        && ((Number) attrs.get("rdev")).longValue() == 0;
                return !whiteout;
            }
        }
        return false;
    }
}
