package dev.muelle.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerDiffWriterTest {

    @TempDir
    Path tmp;

    private static byte[] tar(Path dir, Set<String> skip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerDiffWriter.write(dir, out, skip);
        return out.toByteArray();
    }

    private static List<String> names(byte[] tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private Path upperWithChanges(String name) throws IOException {
        Path upper = Files.createDirectories(tmp.resolve(name));
        Files.createDirectories(upper.resolve("b/dir"));
        Files.writeString(upper.resolve("b/dir/file"), "content", StandardCharsets.UTF_8);
        Files.writeString(upper.resolve("a"), "a", StandardCharsets.UTF_8);
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/hosts"), "", StandardCharsets.UTF_8);
        Libc.INSTANCE.mknodat(Libc.AT_FDCWD, upper.resolve("b/gone").toString(), Libc.S_IFCHR, 0);
        for (Path p : List.of(upper.resolve("a"), upper.resolve("b/dir/file"), upper.resolve("b/dir"), upper.resolve("b"))) {
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_700_000_000_000L));
        }
        return upper;
    }

    @Test
    void whiteoutsBecomeWhFilesEntriesAreSortedAndTheTarIsReproducible() throws IOException {
        byte[] first = tar(upperWithChanges("one"), Set.of("etc/hosts"));
        byte[] second = tar(upperWithChanges("two"), Set.of("etc/hosts"));

        assertThat(names(first)).containsExactly("a", "b/", "b/dir/", "b/dir/file", "b/.wh.gone"); // upper-dir order
        assertThat(first).isEqualTo(second);
        assertThat(first.length % 512).isZero();
    }

    @Test
    void diffSaysAddedChangedDeleted() throws IOException {
        Path upper = upperWithChanges("u");
        Path lower = Files.createDirectories(tmp.resolve("lower/b"));
        Files.writeString(lower.resolve("gone"), "x");
        List<LayerDiffWriter.Change> changes = LayerDiffWriter.changes(upper, List.of(tmp.resolve("lower")),
                Set.of("etc/hosts"));
        assertThat(changes).extracting(c -> c.kind() + " " + c.path()).containsExactly("ADDED /a", "MODIFIED /b",
                "ADDED /b/dir", "ADDED /b/dir/file", "DELETED /b/gone");
    }
}
