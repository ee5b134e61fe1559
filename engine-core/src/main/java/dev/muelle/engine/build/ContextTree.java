package dev.muelle.engine.build;

import dev.muelle.engine.errors.EngineException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
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
 * <p>A file counts as unchanged only when its bytes are the same (not its size or mtime: tars
 * made for reproducible builds give every file one mtime). Each file's sha256 is computed when
 * a {@code COPY} first digests it and kept while the file is unchanged, so a rebuild hashes only
 * what changed.
 *
 * <p>Invariants: after {@link #update} returns, the directory holds exactly what the tar held
 * (with the confinement rules of {@link BuildContext}: nothing is written outside the root, no
 * name passes through a symlink of the same tar) and its entries describe every file in it.
 * After a failed update the tree is emptied. Only one build uses a tree at a time ({@link
 * BuildContexts} hands them out); builds only read it.
 */
final class ContextTree {

    /** Entries up to this size are held in memory while they are compared; larger ones are spooled. */
    private static final int IN_MEMORY = 1 << 20;

    /**
     * What the tree holds at a path: a type (d, f, l), the tar's mode and mtime, a file's size
     * and sha256 (null until asked for), a link's target.
     */
    private record Entry(char type, int mode, long mtime, long size, String link, byte[] sha) {
    }

    private final Path root;
    private final Map<String, Entry> entries = new HashMap<>();

    ContextTree(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * The sha256 of the regular file at {@code rel} (relative to the root), or null when there
     * is none. Computed when first asked for and kept while the file is unchanged.
     */
    byte[] checksum(String rel) {
        Entry e = entries.get(rel);
        if (e == null || e.type != 'f') {
            return null;
        }
        if (e.sha == null) {
            try {
                e = new Entry('f', e.mode, e.mtime, e.size, null, FileCopy.contentSha(root.resolve(rel)));
            } catch (IOException unreadable) {
                return null; // the caller reads the file itself and reports the failure
            }
            entries.put(rel, e);
        }
        return e.sha;
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
                if (old == null || old.type != 'd') {
                    replaceable(target);
                    Files.createDirectories(target);
                }
                if (old == null || old.mode != mode) {
                    BuildContext.setMode(target, mode);
                }
                entries.put(name, new Entry('d', mode, mtime, 0, null, null));
                dirs.add(name);
            } else if (e.isSymbolicLink()) {
                if (old == null || old.type != 'l' || !old.link.equals(e.getLinkName())) {
                    replaceable(target);
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                }
                if (old == null || old.mtime != mtime) {
                    BuildContext.setTimes(target, e.getLastModifiedTime());
                }
                entries.put(name, new Entry('l', mode, mtime, 0, e.getLinkName(), null));
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

    /**
     * A regular file's entry: its content is written only when it differs from the file the
     * tree holds (compared byte for byte: hashing every file would cost more than reading it).
     */
    private Entry file(InputStream content, TarArchiveEntry e, Path target, Entry old, int mode, long mtime)
            throws IOException {
        boolean maybeSame = old != null && old.type == 'f' && old.size == e.getSize();
        boolean same;
        if (e.getSize() <= IN_MEMORY) {
            byte[] bytes = content.readAllBytes();
            same = maybeSame && Arrays.equals(bytes, readIfThere(target));
            if (!same) {
                replaceable(target);
                Files.write(target, bytes);
            }
        } else {
            Path spool = target.resolveSibling(".muelle-spool-" + target.getFileName());
            Files.copy(content, spool, StandardCopyOption.REPLACE_EXISTING);
            same = maybeSame && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.mismatch(spool, target) < 0;
            if (same) {
                Files.delete(spool);
            } else {
                replaceable(target);
                Files.move(spool, target, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (!same || old.mode != mode) {
            BuildContext.setMode(target, mode);
        }
        if (!same || old.mtime != mtime) {
            BuildContext.setTimes(target, e.getLastModifiedTime());
        }
        return new Entry('f', mode, mtime, e.getSize(), null, same ? old.sha : null);
    }

    private static byte[] readIfThere(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /**
     * Makes the directories above {@code name}. A parent that this tar made a symlink is
     * refused; anything else in the way (left from the previous tar) is replaced by a directory.
     */
    private void parents(String original, String name, Set<String> seen) throws IOException {
        int slash = -1;
        while ((slash = name.indexOf('/', slash + 1)) > 0) {
            String parent = name.substring(0, slash);
            Entry known = entries.get(parent);
            if (known != null && known.type == 'd' && seen.contains(parent)) {
                continue; // made or checked for an earlier entry of this tar
            }
            Path p = root.resolve(parent);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Entry old = entries.get(parent);
                if (old == null || old.type != 'd') {
                    entries.put(parent, new Entry('d', 0755, 0, 0, null, null));
                }
            } else if (Files.isSymbolicLink(p) && seen.contains(parent)) {
                throw new EngineException.InvalidParameter("refusing context entry \"" + original
                        + "\": path passes through a symlink");
            } else {
                replaceable(p); // left from the previous tar
                Files.createDirectory(p);
                entries.put(parent, new Entry('d', 0755, 0, 0, null, null));
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
