package dev.muelle.engine.volume;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tar out of and back into confined trees: names, modes, owners, links, nesting. */
class TreeArchiverTest {

    @TempDir
    Path tmp;

    private static List<String> names(byte[] tar) throws Exception {
        List<String> out = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.add(e.getName() + (e.isSymbolicLink() ? " -> " + e.getLinkName() : "") + (e.isLink() ? " => " + e.getLinkName() : ""));
            }
        }
        return out;
    }

    @Test
    void aNestedTreeRoundTripsWithModesOwnersAndLinks() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/top/sub/deeper"));
        Files.writeString(tmp.resolve("src/top/a"), "a");
        Files.writeString(tmp.resolve("src/top/sub/b"), "bb");
        Files.writeString(tmp.resolve("src/top/sub/deeper/c"), "ccc");
        Files.createLink(tmp.resolve("src/top/sub/hard"), tmp.resolve("src/top/a"));
        Files.createSymbolicLink(tmp.resolve("src/top/lnk"), Path.of("/etc"));
        Files.setPosixFilePermissions(tmp.resolve("src/top/sub"), PosixFilePermissions.fromString("rwxr-x--x"));
        Files.setAttribute(tmp.resolve("src/top/a"), "unix:uid", 1234);
        Files.setAttribute(tmp.resolve("src/top/sub/b"), "unix:mode", 04755);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RootedFs fs = RootedFs.open(tmp.resolve("src"), RootedFs.Scope.IN_ROOT)) {
            TreeArchiver.write(fs, "/top", "top", out, Map.of(), true);
        }
        assertThat(names(out.toByteArray())).containsExactly("top/", "top/a", "top/lnk -> /etc", "top/sub/", "top/sub/b",
                "top/sub/deeper/", "top/sub/deeper/c", "top/sub/hard => top/a");

        Path dst = Files.createDirectories(tmp.resolve("dst"));
        try (RootedFs fs = RootedFs.open(dst, RootedFs.Scope.IN_ROOT)) {
            TreeArchiver.extract(fs, "/", new ByteArrayInputStream(out.toByteArray()), TreeArchiver.Ownership.FROM_ARCHIVE, false);
        }
        assertThat(Files.readString(dst.resolve("top/sub/deeper/c"))).isEqualTo("ccc");
        assertThat(Files.getAttribute(dst.resolve("top/a"), "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(dst.resolve("top/sub/b"), "unix:mode")).isEqualTo(0104755);
        assertThat(Files.getAttribute(dst.resolve("top/sub"), "unix:mode")).isEqualTo(040751);
        assertThat(Files.readSymbolicLink(dst.resolve("top/lnk"))).isEqualTo(Path.of("/etc"));
        assertThat(Files.getAttribute(dst.resolve("top/sub/hard"), "unix:ino")).isEqualTo(Files.getAttribute(dst.resolve("top/a"), "unix:ino"));
    }

    @Test
    void entriesThatClimbOutOrWriteThroughAPlantedSymlinkAreRefused() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path dst = Files.createDirectories(tmp.resolve("dst2"));
        List<List<String[]>> tars = List.of(
                List.<String[]>of(new String[] {"../escaped", "x"}),
                List.<String[]>of(new String[] {"link", "->" + outside}, new String[] {"link/planted", "x"}));
        for (List<String[]> entries : tars) {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            try (var t = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
                for (String[] e : entries) {
                    TarArchiveEntry te;
                    if (e[1].startsWith("->")) {
                        te = new TarArchiveEntry(e[0], org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
                        te.setLinkName(e[1].substring(2));
                        t.putArchiveEntry(te);
                    } else {
                        te = new TarArchiveEntry(e[0]);
                        te.setSize(e[1].length());
                        t.putArchiveEntry(te);
                        t.write(e[1].getBytes());
                    }
                    t.closeArchiveEntry();
                }
            }
            try (RootedFs fs = RootedFs.open(dst, RootedFs.Scope.BENEATH)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> TreeArchiver.extract(fs, "", new ByteArrayInputStream(
                        tar.toByteArray()), TreeArchiver.Ownership.FROM_ARCHIVE, false))
                        .isInstanceOf(dev.muelle.engine.errors.EngineException.class);
            }
        }
        try (var s = Files.list(outside)) {
            assertThat(s.count()).isZero();
        }
        assertThat(tmp.resolve("escaped")).doesNotExist();
    }
}
