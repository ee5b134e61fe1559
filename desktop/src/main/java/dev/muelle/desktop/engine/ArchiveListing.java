package dev.muelle.desktop.engine;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a directory listing out of {@code GET /containers/{id}/archive?path=dir}.
 *
 * <p>The engine answers with a tar of the whole directory whose entries are named after the
 * directory's base name ({@code etc/}, {@code etc/passwd}, {@code etc/ssl/certs/...}); the listing
 * keeps the direct children only. File contents are skipped, never buffered.
 */
final class ArchiveListing {

    private ArchiveListing() {
    }

    static List<FileEntry> entries(String directory, InputStream tarStream) throws IOException {
        String dir = directory.endsWith("/") && directory.length() > 1
                ? directory.substring(0, directory.length() - 1) : directory;
        List<FileEntry> children = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(tarStream)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String relative = relativeToDirectory(entry.getName(), dir);
                if (relative == null || relative.isEmpty() || relative.contains("/")) {
                    continue;
                }
                String path = (dir.equals("/") ? "" : dir) + "/" + relative;
                children.add(new FileEntry(relative, path, kind(entry), entry.getSize(),
                        entry.getModTime().toInstant().getEpochSecond(), mode(entry),
                        entry.isSymbolicLink() ? entry.getLinkName() : null));
            }
        }
        children.sort(Comparator.comparing((FileEntry e) -> !e.directory()).thenComparing(FileEntry::name));
        return children;
    }

    /** The entry's name below the listed directory, or null when it is the directory itself. */
    private static String relativeToDirectory(String name, String dir) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.startsWith("./") ? n.substring(2) : n.substring(1);
        }
        if (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        if (dir.equals("/")) {
            return n;
        }
        int slash = n.indexOf('/');
        return slash < 0 ? null : n.substring(slash + 1);
    }

    private static FileEntry.Kind kind(TarArchiveEntry e) {
        if (e.isDirectory()) {
            return FileEntry.Kind.DIRECTORY;
        }
        if (e.isSymbolicLink()) {
            return FileEntry.Kind.SYMLINK;
        }
        return e.isFile() ? FileEntry.Kind.FILE : FileEntry.Kind.OTHER;
    }

    private static String mode(TarArchiveEntry e) {
        int m = e.getMode();
        StringBuilder s = new StringBuilder(e.isDirectory() ? "d" : e.isSymbolicLink() ? "l" : "-");
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((m & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return s.toString();
    }
}
