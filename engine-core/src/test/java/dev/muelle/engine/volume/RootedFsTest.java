package dev.muelle.engine.volume;

import dev.muelle.engine.errors.EngineException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Confinement of every RootedFs operation: nothing outside the root is read, written or removed. */
class RootedFsTest {

    @TempDir
    Path tmp;
    Path root;
    Path outside;
    RootedFs fs;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "SECRET");
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/f"), "inside");
        Files.createSymbolicLink(root.resolve("abs"), outside);
        Files.createSymbolicLink(root.resolve("rel"), Path.of("../outside"));
        Files.createSymbolicLink(root.resolve("ok"), Path.of("d"));
        fs = RootedFs.open(root, RootedFs.Scope.BENEATH);
    }

    @AfterEach
    void tearDown() throws Exception {
        fs.close();
        assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("SECRET");
        try (var s = Files.list(outside)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("secret");
        }
    }

    private static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void escapesAreRefusedWhateverTheRoute() {
        for (String p : new String[] {"../outside/secret", "abs/secret", "rel/secret", "d/../../outside/secret"}) {
            assertThatThrownBy(() -> fs.openRead(p)).as(p).isInstanceOf(EngineException.Forbidden.class);
            assertThatThrownBy(() -> fs.list(p.substring(0, p.lastIndexOf('/')))).as(p).isInstanceOf(EngineException.Forbidden.class);
            assertThatThrownBy(() -> fs.replaceFile(p, bytes("x"), 0644, c -> { })).as(p).isInstanceOf(EngineException.class);
            assertThatThrownBy(() -> fs.delete(p, true)).as(p).isInstanceOf(EngineException.class);
            assertThatThrownBy(() -> fs.mkdir(p + "x", 0755, true)).as(p).isInstanceOf(EngineException.class);
            assertThatThrownBy(() -> fs.rename("d/f", p + "x", false)).as(p).isInstanceOf(EngineException.class);
        }
    }

    @Test
    void symlinksInsideTheRootAreFollowedAndFinalOnesDescribed() throws Exception {
        try (var ch = fs.openRead("ok/f")) {
            assertThat(ch.size()).isEqualTo(6);
        }
        assertThat(fs.lstat("abs").type()).isEqualTo(FileInfo.Type.SYMLINK);
        assertThat(fs.lstat("abs").linkTarget()).isEqualTo(outside.toString());
        assertThat(fs.list("/")).extracting(FileInfo::name).containsExactly("abs", "d", "ok", "rel");
    }

    @Test
    void inRootScopeTreatsAbsoluteLinksAsTheRootsOwn() throws Exception {
        Files.createDirectories(root.resolve(outside.toString().substring(1)));
        Files.writeString(root.resolve(outside.toString().substring(1)).resolve("secret"), "mirror");
        try (RootedFs ctr = RootedFs.open(root, RootedFs.Scope.IN_ROOT); var ch = ctr.openRead("abs/secret")) {
            assertThat(ch.size()).isEqualTo(6);
        }
    }

    @Test
    void deletingATreeNeverFollowsItsSymlinks() throws Exception {
        Files.createSymbolicLink(root.resolve("d/link-out"), outside);
        fs.delete("d", true);
        assertThat(root.resolve("d")).doesNotExist();
        fs.delete("abs", false);
        assertThat(root.resolve("abs")).doesNotExist();
    }

    @Test
    void replacingAFileKeepsModeAndOwnerAndAPreconditionCanRefuse() throws Exception {
        Files.setAttribute(root.resolve("d/f"), "unix:mode", 0600);
        Files.setAttribute(root.resolve("d/f"), "unix:uid", 4242);
        FileInfo before = fs.lstat("d/f");
        fs.replaceFile("d/f", bytes("second"), 0644, current -> assertThat(current.etag()).isEqualTo(before.etag()));
        assertThat(Files.readString(root.resolve("d/f"))).isEqualTo("second");
        assertThat(Files.getAttribute(root.resolve("d/f"), "unix:mode")).isEqualTo(0100600);
        assertThat(Files.getAttribute(root.resolve("d/f"), "unix:uid")).isEqualTo(4242);

        assertThatThrownBy(() -> fs.replaceFile("d/f", bytes("third"), 0644, current -> {
            throw new EngineException.Conflict("stale");
        })).isInstanceOf(EngineException.Conflict.class);
        assertThat(Files.readString(root.resolve("d/f"))).isEqualTo("second");
        try (var s = Files.list(root.resolve("d"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("f");
        }
    }

    @Test
    void renameRefusesToReplaceUnlessAsked() throws Exception {
        Files.writeString(root.resolve("d/g"), "g");
        assertThatThrownBy(() -> fs.rename("d/f", "d/g", false)).isInstanceOf(EngineException.Conflict.class);
        fs.rename("d/f", "d/g", true);
        assertThat(Files.readString(root.resolve("d/g"))).isEqualTo("inside");
    }

    @Test
    void usageCountsHardLinksOnce() throws Exception {
        Files.createLink(root.resolve("d/hard"), root.resolve("d/f"));
        RootedFs.Usage u = fs.usage("");
        assertThat(u.size()).isEqualTo(6);
        assertThat(u.files()).isEqualTo(6);
    }
}
