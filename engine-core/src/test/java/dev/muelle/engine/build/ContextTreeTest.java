package dev.muelle.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muelle.engine.errors.EngineException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A context kept between builds: updated in place, only what changed is written, checksums kept. */
class ContextTreeTest {

    @TempDir
    Path dir;

    /** A tar of name → content; "->x" makes a symlink to x, "=>x" a hardlink to x. */
    private static ByteArrayInputStream tar(String... nameThenContent) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            files.put(nameThenContent[i], nameThenContent[i + 1]);
        }
        return tar(files);
    }

    private static ByteArrayInputStream tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (var f : files.entrySet()) {
                if (f.getValue().startsWith("->")) {
                    TarArchiveEntry e = new TarArchiveEntry(f.getKey(), TarConstants.LF_SYMLINK);
                    e.setLinkName(f.getValue().substring(2));
                    out.putArchiveEntry(e);
                } else if (f.getValue().startsWith("=>")) {
                    TarArchiveEntry e = new TarArchiveEntry(f.getKey(), TarConstants.LF_LINK);
                    e.setLinkName(f.getValue().substring(2));
                    out.putArchiveEntry(e);
                } else if (f.getKey().endsWith("/")) {
                    out.putArchiveEntry(new TarArchiveEntry(f.getKey()));
                } else {
                    byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                    e.setSize(content.length);
                    e.setModTime(1_000_000_000L);
                    out.putArchiveEntry(e);
                    out.write(content);
                }
                out.closeArchiveEntry();
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private static String sha(String content) throws Exception {
        return HexFormat.of().formatHex(FileCopy.sha256().digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUpdateWritesWhatChangedDeletesWhatIsGoneAndKeepsChecksums() throws Exception {
        ContextTree tree = new ContextTree(dir.resolve("tree"));
        tree.update(tar("src/", "", "src/a.txt", "a1", "src/b.txt", "b", "gone.txt", "x"));
        Path b = dir.resolve("tree/src/b.txt");
        Files.setLastModifiedTime(b, FileTime.fromMillis(5000)); // a marker a rewrite would reset

        tree.update(tar("src/", "", "src/a.txt", "a2", "src/b.txt", "b", "new/c.txt", "c"));

        assertThat(Files.readString(dir.resolve("tree/src/a.txt"))).isEqualTo("a2");
        assertThat(Files.getLastModifiedTime(b).toMillis()).as("an unchanged file is not written again")
            .isEqualTo(5000);
        assertThat(Files.readString(dir.resolve("tree/new/c.txt"))).isEqualTo("c");
        assertThat(dir.resolve("tree/gone.txt")).doesNotExist();
        assertThat(HexFormat.of().formatHex(tree.checksum("src/a.txt"))).isEqualTo(sha("a2"));
        assertThat(HexFormat.of().formatHex(tree.checksum("new/c.txt"))).isEqualTo(sha("c"));
        assertThat(tree.checksum("gone.txt")).isNull();
        assertThat(tree.checksum("src")).isNull();
    }

    @Test
    void aFileTurnedIntoADirectoryAndALinkIntoAFileAreReplaced() throws Exception {
        ContextTree tree = new ContextTree(dir.resolve("tree"));
        tree.update(tar("x", "file", "l", "->x"));
        tree.update(tar("x/inner", "now a dir", "l", "plain"));
        assertThat(Files.readString(dir.resolve("tree/x/inner"))).isEqualTo("now a dir");
        assertThat(Files.isSymbolicLink(dir.resolve("tree/l"))).isFalse();
        assertThat(Files.readString(dir.resolve("tree/l"))).isEqualTo("plain");
    }

    @Test
    void namesThatEscapeOrPassThroughALinkOfTheSameTarAreRefusedAndTheTreeEmptied() throws Exception {
        ContextTree tree = new ContextTree(dir.resolve("tree"));
        assertThatThrownBy(() -> tree.update(tar("../evil", "x")))
            .isInstanceOf(EngineException.InvalidParameter.class).hasMessageContaining("path escapes the context");
        assertThat(dir.resolve("evil")).doesNotExist();

        Files.createDirectories(dir.resolve("outside"));
        assertThatThrownBy(() -> tree.update(tar("link", "->" + dir.resolve("outside"), "link/planted", "x")))
            .isInstanceOf(EngineException.InvalidParameter.class).hasMessageContaining("passes through a symlink");
        assertThat(dir.resolve("outside/planted")).doesNotExist();
        assertThat(dir.resolve("tree")).doesNotExist();
        assertThat(Files.exists(dir.resolve("tree/link"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void largeFilesAndHardlinksAreComparedAndCopiedToo() throws Exception {
        String big = "x".repeat(3 << 20);
        String bigChanged = big.substring(1) + "y"; // same size, last byte differs
        ContextTree tree = new ContextTree(dir.resolve("tree"));
        tree.update(tar("big", big, "same", "=>big"));
        Files.setLastModifiedTime(dir.resolve("tree/big"), FileTime.fromMillis(5000));
        tree.update(tar("big", big, "same", "=>big"));
        assertThat(Files.getLastModifiedTime(dir.resolve("tree/big")).toMillis()).isEqualTo(5000);

        tree.update(tar("big", bigChanged, "same", "=>big"));
        assertThat(Files.readString(dir.resolve("tree/big"))).isEqualTo(bigChanged);
        assertThat(Files.readString(dir.resolve("tree/same"))).isEqualTo(bigChanged);
        assertThat(tree.checksum("same")).isEqualTo(tree.checksum("big"));
        assertThat(HexFormat.of().formatHex(tree.checksum("big"))).isEqualTo(sha(bigChanged));
        try (var left = Files.list(dir.resolve("tree"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("big", "same");
        }
    }
}
