package dev.muelle.engine.volume;

import com.sun.jna.LastErrorException;
import dev.muelle.engine.errors.EngineException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tar streams in and out of a {@link RootedFs}, without leaving it and without holding a file in
 * memory: the archive side of {@code docker cp}, volume export/import and directory
 * upload/download.
 *
 * <p>Writing walks with directory descriptors and never follows a symlink below the starting
 * point (symlinks are archived as symlinks; a directory swapped for a symlink mid-walk is
 * skipped). Modes, owners, mtimes and hard links are kept. {@code submounts} lets a container's
 * volume and bind mounts appear in a rootfs walk where the container would see them.
 *
 * <p>Extracting resolves each entry's parent with {@code RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS}
 * relative to the destination directory, so no entry name and no symlink written by an earlier
 * entry can place a file outside it; {@code ..} in a name is refused outright.
 */
public final class TreeArchiver {

    private TreeArchiver() {
    }

    /** Who owns extracted files: as recorded in the tar, or one fixed uid/gid. */
    public record Ownership(Integer uid, Integer gid) {
        public static final Ownership FROM_ARCHIVE = new Ownership(null, null);
    }

    /**
     * Archives {@code path} as entries named {@code rebase}/... Symlinks on the way are followed
     * inside the scope; a final symlink is archived as itself unless {@code followFinal}.
     */
    public static void write(RootedFs fs, String path, String rebase, OutputStream out, Map<String, Path> submounts,
                             boolean followFinal) throws IOException {
        if (!followFinal && !RootedFs.relative(path).isEmpty()) {
            FileInfo leaf = fs.lstat(path);
            if (leaf.type() == FileInfo.Type.SYMLINK) {
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out));
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                new Writer(tar, Map.of()).entry(leaf, rebase, null);
                tar.finish();
                tar.flush();
                return;
            }
        }
        try (RootedFs.Handle start = fs.resolve(path, FsCalls.O_PATH)) {
            FileInfo top = FileInfo.read(start.proc(), rebase, true);
            // 1 MiB writes downstream: an HTTP response flushes each write as its own chunk.
            java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(new NonClosing(out), 1 << 20);
            TarArchiveOutputStream tar = new TarArchiveOutputStream(buffered, 64 * 1024);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Writer w = new Writer(tar, submounts);
            if (top.type() == FileInfo.Type.DIRECTORY) {
                w.entry(top, rebase, null);
                w.directory(start, rebase, "");
            } else {
                w.entry(top, rebase, start.proc());
            }
            tar.finish();
            tar.flush();
            buffered.flush(); // the tar stream's flush does not reach through its block writer
        }
    }

    private static final class Writer {
        private final TarArchiveOutputStream tar;
        private final Map<String, Path> submounts;
        private final Map<List<Long>, String> linked = new HashMap<>();

        Writer(TarArchiveOutputStream tar, Map<String, Path> submounts) {
            this.tar = tar;
            this.submounts = submounts;
        }

        void directory(RootedFs.Handle dir, String tarPrefix, String rel) throws IOException {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.proc())) {
                ds.forEach(p -> names.add(p.getFileName().toString()));
            }
            names.sort(null);
            for (String name : names) {
                String childRel = rel.isEmpty() ? name : rel + "/" + name;
                String tarName = tarPrefix.isEmpty() ? name : tarPrefix + "/" + name;
                Path mounted = submounts.get(childRel);
                if (mounted != null) {
                    try (RootedFs sub = RootedFs.open(mounted, RootedFs.Scope.BENEATH);
                         RootedFs.Handle root = sub.resolveDir("")) {
                        entry(FileInfo.read(root.proc(), name, true), tarName, null);
                        directory(root, tarName, childRel);
                    }
                    continue;
                }
                FileInfo info;
                try {
                    info = FileInfo.read(dir.child(name), name, false);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (info.type() == FileInfo.Type.DIRECTORY) {
                    entry(info, tarName, null);
                    RootedFs.Handle child;
                    try {
                        child = RootedFs.openChildDir(dir, name);
                    } catch (EngineException swapped) {
                        continue;
                    }
                    try (child) {
                        directory(child, tarName, childRel);
                    }
                } else {
                    entry(info, tarName, dir.child(name));
                }
            }
        }

        /** One header (and the content of a regular file, read from {@code content} with O_NOFOLLOW). */
        void entry(FileInfo info, String name, Path content) throws IOException {
            TarArchiveEntry e;
            switch (info.type()) {
                case DIRECTORY -> e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
                case SYMLINK -> {
                    e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    e.setLinkName(info.linkTarget());
                }
                case FIFO -> e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
                case FILE -> {
                    List<Long> key = List.of(info.device(), info.inode());
                    String first = info.links() > 1 ? linked.putIfAbsent(key, name) : null;
                    if (first != null) {
                        e = new TarArchiveEntry(name, TarConstants.LF_LINK);
                        e.setLinkName(first);
                    } else {
                        e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                        e.setSize(info.size());
                    }
                }
                default -> {
                    return; // devices and sockets are not copied, as docker cp skips sockets
                }
            }
            e.setMode(info.mode() | (info.type() == FileInfo.Type.DIRECTORY ? 0040000
                    : info.type() == FileInfo.Type.SYMLINK ? 0120000 : info.type() == FileInfo.Type.FIFO ? 0010000 : 0100000));
            e.setIds(info.uid(), info.gid());
            e.setModTime(FileTime.from(info.mtime()));
            if (e.getLinkFlag() == TarConstants.LF_NORMAL) {
                writeContent(e, content);
            } else {
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
        }

        /** Copies exactly the header's size: a file that grew or shrank meanwhile is cut or zero-padded. */
        private void writeContent(TarArchiveEntry e, Path content) throws IOException {
            tar.putArchiveEntry(e);
            long want = e.getSize();
            // A child is opened by name without following a symlink there; the starting file is
            // reopened through its descriptor's magic link, which O_NOFOLLOW would refuse.
            boolean magic = content.getParent() != null && content.getParent().toString().equals("/proc/self/fd");
            try (FileChannel in = magic ? FileChannel.open(content, StandardOpenOption.READ)
                    : FileChannel.open(content, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                InputStream s = Channels.newInputStream(in);
                byte[] buf = new byte[256 * 1024];
                while (want > 0) {
                    int n = s.read(buf, 0, (int) Math.min(buf.length, want));
                    if (n < 0) {
                        break;
                    }
                    tar.write(buf, 0, n);
                    want -= n;
                }
            }
            byte[] zeros = new byte[8192];
            while (want > 0) {
                int n = (int) Math.min(zeros.length, want);
                tar.write(zeros, 0, n);
                want -= n;
            }
            tar.closeArchiveEntry();
        }
    }

    // ------------------------------------------------------------------ extract

    /** What an extraction did: entries written and bytes of file content. */
    public record Extracted(long entries, long bytes) {
    }

    /**
     * Unpacks {@code tar} into directory {@code dir} of {@code fs}. With {@code noOverwriteDirNonDir},
     * a directory never replaces a non-directory or the reverse (docker cp's rule).
     */
    public static Extracted extract(RootedFs fs, String dir, InputStream in, Ownership ownership,
                                    boolean noOverwriteDirNonDir) throws IOException {
        try (RootedFs.Handle dest = fs.resolveDir(dir); Extractor x = new Extractor(dest, ownership, noOverwriteDirNonDir)) {
            // Request bodies arrive in small chunks; reading through a buffer lets one read take many.
            TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.BufferedInputStream(in, 1 << 20));
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                x.entry(e, tar);
            }
            x.finish();
            return new Extracted(x.entries, x.bytes);
        }
    }

    private static final class Extractor implements AutoCloseable {
        private record DirTime(String rel, FileTime mtime, int mode) {
        }

        private final RootedFs.Handle dest;
        private final Ownership ownership;
        private final boolean noOverwriteDirNonDir;
        private final Deque<DirTime> dirs = new ArrayDeque<>();
        private String cachedRel;
        private RootedFs.Handle cached;
        long entries;
        long bytes;

        Extractor(RootedFs.Handle dest, Ownership ownership, boolean noOverwriteDirNonDir) {
            this.dest = dest;
            this.ownership = ownership;
            this.noOverwriteDirNonDir = noOverwriteDirNonDir;
        }

        static List<String> components(String name) {
            List<String> parts = new ArrayList<>();
            for (String p : name.split("/")) {
                if (p.isEmpty() || p.equals(".")) {
                    continue;
                }
                if (p.equals("..")) {
                    throw new EngineException.InvalidParameter("invalid tar entry " + name + ": it climbs out of the destination");
                }
                parts.add(p);
            }
            return parts;
        }

        /** The directory {@code rel} under the destination, created (0755) where missing, never through a symlink. */
        RootedFs.Handle dir(List<String> comps) {
            String rel = String.join("/", comps);
            if (rel.equals(cachedRel)) {
                return cached;
            }
            RootedFs.Handle h;
            try {
                h = new RootedFs.Handle(FsCalls.openat2(dest.fd, rel.isEmpty() ? "." : rel, FsCalls.O_PATH | FsCalls.O_DIRECTORY,
                        0, FsCalls.RESOLVE_BENEATH | FsCalls.RESOLVE_NO_SYMLINKS | FsCalls.RESOLVE_NO_MAGICLINKS));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != FsCalls.ENOENT) {
                    throw RootedFs.failure(e.getErrorCode(), rel);
                }
                h = makeDirs(comps);
            }
            if (cached != null) {
                cached.close();
            }
            cached = h;
            cachedRel = rel;
            return h;
        }

        private RootedFs.Handle makeDirs(List<String> comps) {
            RootedFs.Handle cur = new RootedFs.Handle(FsCalls.openat2(dest.fd, ".", FsCalls.O_PATH | FsCalls.O_DIRECTORY, 0, 0));
            for (String c : comps) {
                try {
                    FsCalls.C.mkdirat(cur.fd, c, 0755);
                    if (ownership.uid() != null) {
                        RootedFs.chown(cur, c, ownership.uid(), ownership.gid());
                    }
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != FsCalls.EEXIST) {
                        cur.close();
                        throw RootedFs.failure(e.getErrorCode(), c);
                    }
                }
                RootedFs.Handle next;
                try {
                    next = RootedFs.openChildDir(cur, c);
                } finally {
                    cur.close();
                }
                cur = next;
            }
            return cur;
        }

        void entry(TarArchiveEntry e, InputStream content) throws IOException {
            List<String> comps = components(e.getName());
            if (comps.isEmpty()) {
                if (e.isDirectory()) {
                    // "./": the destination itself takes the entry's owner and mode, as dockerd's untar does
                    int uid = ownership.uid() != null ? ownership.uid() : (int) e.getLongUserId();
                    int gid = ownership.gid() != null ? ownership.gid() : (int) e.getLongGroupId();
                    try {
                        FsCalls.C.fchownat(dest.fd, "", uid, gid, FsCalls.AT_EMPTY_PATH);
                    } catch (LastErrorException x) {
                        throw RootedFs.failure(x.getErrorCode(), ".");
                    }
                    Files.setAttribute(dest.proc(), "unix:mode", e.getMode() & 07777);
                    return;
                }
                throw new EngineException.InvalidParameter("invalid tar entry name " + e.getName());
            }
            String leaf = comps.get(comps.size() - 1);
            RootedFs.Handle parent = dir(comps.subList(0, comps.size() - 1));
            Path target = parent.child(leaf);
            FileInfo existing;
            try {
                existing = FileInfo.read(target, leaf, false);
            } catch (NoSuchFileException none) {
                existing = null;
            }
            entries++;
            int uid = ownership.uid() != null ? ownership.uid() : (int) e.getLongUserId();
            int gid = ownership.gid() != null ? ownership.gid() : (int) e.getLongGroupId();
            if (e.isDirectory()) {
                if (existing != null && existing.type() != FileInfo.Type.DIRECTORY) {
                    if (noOverwriteDirNonDir) {
                        throw new EngineException.InvalidParameter("cannot overwrite non-directory " + e.getName() + " with directory");
                    }
                    FsCalls.C.unlinkat(parent.fd, leaf, 0);
                    existing = null;
                }
                if (existing == null) {
                    mkdirat(parent, leaf);
                }
                RootedFs.chown(parent, leaf, uid, gid);
                dirs.push(new DirTime(String.join("/", comps), FileTime.fromMillis(e.getModTime().getTime()), e.getMode()));
                return;
            }
            if (existing != null) {
                if (existing.type() == FileInfo.Type.DIRECTORY) {
                    if (noOverwriteDirNonDir) {
                        throw new EngineException.InvalidParameter("cannot overwrite directory " + e.getName() + " with non-directory");
                    }
                    throw new EngineException.Conflict("cannot replace directory " + e.getName() + " with a file");
                }
                FsCalls.C.unlinkat(parent.fd, leaf, 0);
            }
            if (e.isSymbolicLink()) {
                try {
                    FsCalls.C.symlinkat(e.getLinkName(), parent.fd, leaf);
                } catch (LastErrorException x) {
                    throw RootedFs.failure(x.getErrorCode(), e.getName());
                }
                RootedFs.chown(parent, leaf, uid, gid);
                RootedFs.setMtime(parent, leaf, FileTime.fromMillis(e.getModTime().getTime()));
                return;
            }
            if (e.isLink()) {
                List<String> tc = components(e.getLinkName());
                if (tc.isEmpty()) {
                    throw new EngineException.InvalidParameter("invalid hard link " + e.getName());
                }
                RootedFs.Handle tdir = new RootedFs.Handle(FsCalls.openat2(dest.fd,
                        tc.size() == 1 ? "." : String.join("/", tc.subList(0, tc.size() - 1)), FsCalls.O_PATH | FsCalls.O_DIRECTORY,
                        0, FsCalls.RESOLVE_BENEATH | FsCalls.RESOLVE_NO_SYMLINKS | FsCalls.RESOLVE_NO_MAGICLINKS));
                try (tdir) {
                    FsCalls.C.linkat(tdir.fd, tc.get(tc.size() - 1), parent.fd, leaf, 0);
                } catch (LastErrorException x) {
                    throw RootedFs.failure(x.getErrorCode(), e.getName());
                }
                return;
            }
            if (e.isFIFO()) {
                try {
                    FsCalls.C.mknodat(parent.fd, leaf, FsCalls.S_IFIFO | (e.getMode() & 07777), 0);
                } catch (LastErrorException x) {
                    throw RootedFs.failure(x.getErrorCode(), e.getName());
                }
            } else if (e.getLinkFlag() == TarConstants.LF_NORMAL || e.getLinkFlag() == TarConstants.LF_OLDNORM
                    || e.getLinkFlag() == TarConstants.LF_CONTIG) {
                try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    bytes += copy(content, out);
                }
            } else {
                return; // devices: a volume or a container's files don't take them from clients
            }
            RootedFs.chown(parent, leaf, uid, gid);
            RootedFs.chmod(parent, leaf, e.getMode());
            RootedFs.setMtime(parent, leaf, FileTime.fromMillis(e.getModTime().getTime()));
        }

        private static long copy(InputStream in, FileChannel out) throws IOException {
            byte[] buf = new byte[256 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                var bb = java.nio.ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                total += n;
            }
            return total;
        }

        private static void mkdirat(RootedFs.Handle parent, String leaf) {
            try {
                FsCalls.C.mkdirat(parent.fd, leaf, 0755);
            } catch (LastErrorException x) {
                throw RootedFs.failure(x.getErrorCode(), leaf);
            }
        }

        /** Directory modes and mtimes last, deepest first, so writing into them was never blocked. */
        void finish() {
            while (!dirs.isEmpty()) {
                DirTime d = dirs.pop();
                List<String> comps = components(d.rel());
                RootedFs.Handle parent = dir(comps.subList(0, comps.size() - 1));
                String leaf = comps.get(comps.size() - 1);
                RootedFs.chmod(parent, leaf, d.mode());
                RootedFs.setMtime(parent, leaf, d.mtime());
            }
        }

        @Override
        public void close() {
            if (cached != null) {
                cached.close();
            }
        }
    }

    /** Lets the tar writer finish without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
