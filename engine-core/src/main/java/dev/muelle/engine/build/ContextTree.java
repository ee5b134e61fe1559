package dev.muelle.engine.build;

import dev.muelle.engine.errors.EngineException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A build context kept unpacked between builds and brought up to date in place from the next
 * context tar: only entries whose content or metadata differ are written, entries the tar no
 * longer has are deleted. A rebuild of a project sends almost the same tar again, and creating
 * thousands of small files is most of what unpacking costs.
 *
 * <p>Every regular file's sha256 is computed while its tar entry streams by, so {@code COPY}
 * digests its sources from these checksums instead of reading the files again.
 *
 * <p>Invariants: after {@link #update} returns, the directory holds exactly what the tar held
 * (with the confinement rules of {@link BuildContext}: nothing is written outside the root, no
 * name passes through a symlink of the same tar) and {@link #checksum} knows every regular
 * file. After a failed update the tree is emptied. Only one build uses a tree at a time
 * ({@link BuildContexts} hands them out); builds only read it.
 */
final class ContextTree {

    /** Entries up to this size are held in memory while their checksum is compared. */
    private static final int IN_MEMORY = 1 << 20;

    /** What the tree holds at a path: a type (d, f, l), the tar's mode and mtime, link target, sha256. */
    private record Entry(char type, int mode, long mtime, String link, byte[] sha) {
    }

    private final Path root;
    private final Map<String, Entry> entries = new HashMap<>();

    ContextTree(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** The sha256 of the regular file at {@code rel} (relative to the root), or null. */
    byte[] checksum(String rel) {
        Entry e = entries.get(rel);
        return e == null || e.type != 'f' ? null : e.sha;
    }

    /** Makes the tree hold what {@code tar} (uncompressed) holds; on failure the tree is emptied. */
    void update(InputStream tar) {
        try {
            Files.createDirectories(root);
            apply(new TarArchiveInputStream(tar));
        } catch (IOException | RuntimeException e) {
            clear();
            if (e instanceof EngineException ee) {
                throw ee;
            }
            throw new EngineException.InvalidParameter("failed to read build context: " + e.getMessage(), e);
        }
    }

    /**
     * Unpacks a tar into the existing dir {@code root} with a context's confinement rules: how
     * {@code ADD} extracts a local archive.
     */
    static void untar(InputStream tar, Path root) throws IOException {
        new ContextTree(root).apply(new TarArchiveInputStream(tar));
    }

    /** Deletes the files and forgets them. */
    void clear() {
        entries.clear();
        BuildContext.deleteQuietly(root);
    }

    private void apply(TarArchiveInputStream tar) throws IOException {
        Set<String> seen = new HashSet<>();
        List<String> dirs = new ArrayList<>();
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            String name = DockerIgnore.clean(e.getName());
            if (e.getName().contains("..") && !name.isEmpty() && !within(e.getName())) {
                throw new EngineException.InvalidParameter("refusing context entry \"" + e.getName()
                        + "\": path escapes the context");
            }
            if (name.isEmpty() || !(e.isDirectory() || e.isSymbolicLink() || e.isLink() || e.isFile())) {
                continue; // the root itself; devices and fifos have no business in a build context
            }
            parents(e.getName(), name, seen);
            seen.add(name);
            Path target = root.resolve(name);
            long mtime = e.getLastModifiedTime().toMillis();
            int mode = e.getMode() & 07777;
            Entry old = entries.get(name);
            if (e.isDirectory()) {
                if (old == null || old.type != 'd' || !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    replaceable(target);
                    Files.createDirectories(target);
                }
                if (old == null || old.mode != mode) {
                    BuildContext.setMode(target, mode);
                }
                entries.put(name, new Entry('d', mode, mtime, null, null));
                dirs.add(name);
            } else if (e.isSymbolicLink()) {
                if (old == null || old.type != 'l' || !old.link.equals(e.getLinkName())) {
                    replaceable(target);
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                }
                if (old == null || old.mtime != mtime) {
                    BuildContext.setTimes(target, e.getLastModifiedTime());
                }
                entries.put(name, new Entry('l', mode, mtime, e.getLinkName(), null));
            } else if (e.isLink()) {
                String link = DockerIgnore.clean(e.getLinkName());
                Entry linked = entries.get(link);
                if (!within(e.getLinkName()) || link.isEmpty() || linked == null || !seen.contains(link)) {
                    throw new EngineException.InvalidParameter("refusing context entry \"" + e.getName()
                            + "\": hardlink outside the context");
                }
                replaceable(target);
                Files.copy(RootedPath.resolve(root, link, false), target, StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                entries.put(name, linked);
            } else {
                entries.put(name, file(tar, e, target, old, mode, mtime));
            }
        }
        for (String gone : entries.keySet().stream().filter(n -> !seen.contains(n))
                .sorted(Comparator.reverseOrder()).toList()) {
            entries.remove(gone);
            BuildContext.deleteQuietly(root.resolve(gone));
        }
        for (int i = dirs.size() - 1; i >= 0; i--) {
            BuildContext.setTimes(root.resolve(dirs.get(i)), FileTime.fromMillis(entries.get(dirs.get(i)).mtime));
        }
    }

    /** A regular file's entry: its content is written only when its checksum differs from the tree's. */
    private Entry file(InputStream content, TarArchiveEntry e, Path target, Entry old, int mode, long mtime)
            throws IOException {
        MessageDigest sha = FileCopy.sha256();
        boolean same;
        if (e.getSize() <= IN_MEMORY) {
            byte[] bytes = content.readAllBytes();
            byte[] digest = sha.digest(bytes);
            same = unchanged(old, digest, target);
            if (!same) {
                replaceable(target);
                Files.write(target, bytes);
            }
            return written(target, same, old, mode, mtime, e, digest);
        }
        Path spool = target.resolveSibling(".muelle-spool-" + target.getFileName());
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(spool), sha)) {
            content.transferTo(out);
        }
        byte[] digest = sha.digest();
        same = unchanged(old, digest, target);
        if (same) {
            Files.delete(spool);
        } else {
            replaceable(target);
            Files.move(spool, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return written(target, same, old, mode, mtime, e, digest);
    }

    private static boolean unchanged(Entry old, byte[] digest, Path target) {
        return old != null && old.type == 'f' && Arrays.equals(old.sha, digest)
                && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS);
    }

    private static Entry written(Path target, boolean same, Entry old, int mode, long mtime, TarArchiveEntry e,
                                 byte[] digest) throws IOException {
        if (!same || old.mode != mode) {
            BuildContext.setMode(target, mode);
        }
        if (!same || old.mtime != mtime) {
            BuildContext.setTimes(target, e.getLastModifiedTime());
        }
        return new Entry('f', mode, mtime, null, digest);
    }

    /**
     * Makes the directories above {@code name}. A parent that this tar made a symlink is
     * refused; anything else in the way (left from the previous tar) is replaced by a directory.
     */
    private void parents(String original, String name, Set<String> seen) throws IOException {
        int slash = -1;
        while ((slash = name.indexOf('/', slash + 1)) > 0) {
            String parent = name.substring(0, slash);
            Path p = root.resolve(parent);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Entry old = entries.get(parent);
                if (old == null || old.type != 'd') {
                    entries.put(parent, new Entry('d', 0755, 0, null, null));
                }
            } else if (Files.isSymbolicLink(p) && seen.contains(parent)) {
                throw new EngineException.InvalidParameter("refusing context entry \"" + original
                        + "\": path passes through a symlink");
            } else {
                replaceable(p); // left from the previous tar
                Files.createDirectory(p);
                entries.put(parent, new Entry('d', 0755, 0, null, null));
            }
            seen.add(parent);
        }
    }

    /** Clears {@code target} for a new entry of another kind or content. */
    private static void replaceable(Path target) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            BuildContext.deleteQuietly(target);
        } else {
            Files.deleteIfExists(target);
        }
    }

    static boolean within(String name) {
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
}
