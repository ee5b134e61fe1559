package dev.muelle.engine.image;

import com.github.luben.zstd.ZstdOutputStream;
import com.sun.jna.NativeLong;
import dev.muelle.engine.errors.EngineException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class LayerUnpackerTest {

    @TempDir
    Path tmp;
    Path layer;
    Path outside;

    @BeforeEach
    void dirs() throws IOException {
        layer = Files.createDirectories(tmp.resolve("layer"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("precious"), "keep");
    }

    private LayerUnpacker.Result unpack(byte[] tar) throws IOException {
        return LayerUnpacker.unpack(new ByteArrayInputStream(tar), tar.length, layer);
    }

    private static boolean root() {
        return Libc.INSTANCE.geteuid() == 0;
    }

    @Test
    void unpacksFilesDirsLinksWithTheirMetadata() throws IOException {
        byte[] tar = new TestTars()
                .dir("bin", 0755)
                .file("bin/tool", "#!/bin/sh\n", 04755, 0, 0)
                .file("home/u/notes", "hi", 0600, 1000, 2000)
                .symlink("bin/sh", "/bin/busybox")
                .hardlink("bin/tool2", "bin/tool")
                .fileWithXattr("tagged", "x", "user.muelle", "yes")
                .build();
        LayerUnpacker.Result r = unpack(tar);

        assertThat(r.diffId()).isEqualTo(Digest.of(tar));
        assertThat(Files.readString(layer.resolve("home/u/notes"))).isEqualTo("hi");
        assertThat(mode(layer.resolve("bin/tool"))).isEqualTo(04755);
        assertThat(mode(layer.resolve("home/u/notes"))).isEqualTo(0600);
        assertThat(mode(layer.resolve("home"))).isEqualTo(0755); // implied parent
        assertThat(Files.readSymbolicLink(layer.resolve("bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(Files.getAttribute(layer.resolve("bin/tool2"), "unix:ino"))
                .isEqualTo(Files.getAttribute(layer.resolve("bin/tool"), "unix:ino"));
        assertThat(Files.getLastModifiedTime(layer.resolve("bin"), LinkOption.NOFOLLOW_LINKS).toInstant())
                .isEqualTo(TestTars.MTIME);
        assertThat(Files.getLastModifiedTime(layer.resolve("bin/sh"), LinkOption.NOFOLLOW_LINKS).toInstant())
                .isEqualTo(TestTars.MTIME);
        assertThat(xattr(layer.resolve("tagged"), "user.muelle")).isEqualTo("yes");
        if (root()) {
            assertThat(Files.getAttribute(layer.resolve("home/u/notes"), "unix:uid")).isEqualTo(1000);
            assertThat(Files.getAttribute(layer.resolve("home/u/notes"), "unix:gid")).isEqualTo(2000);
        }
    }

    @Test
    void gzipAndZstdLayersHaveTheDiffIdOfTheirUncompressedTar() throws IOException {
        byte[] tar = new TestTars().file("a", "alpha").build();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        ByteArrayOutputStream zst = new ByteArrayOutputStream();
        try (OutputStream out = new ZstdOutputStream(zst)) {
            out.write(tar);
        }
        assertThat(unpack(gz.toByteArray()).diffId()).isEqualTo(Digest.of(tar));
        Files.delete(layer.resolve("a"));
        assertThat(unpack(zst.toByteArray()).diffId()).isEqualTo(Digest.of(tar));
        assertThat(Files.readString(layer.resolve("a"))).isEqualTo("alpha");
    }

    @Test
    void whiteoutsBecomeOverlayWhiteouts() throws IOException {
        assumeThat(root()).as("mknod and trusted.* xattrs need root").isTrue();
        byte[] tar = new TestTars()
                .dir("etc", 0755)
                .file("etc/.wh.motd", "")
                .dir("var/cache", 0755)
                .file("var/cache/.wh..wh..opq", "")
                .file("var/cache/fresh", "new")
                .file(".wh..wh.plnk", "")
                .build();
        unpack(tar);

        Path motd = layer.resolve("etc/motd");
        assertThat((Integer) Files.getAttribute(motd, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000).isEqualTo(0020000);
        assertThat(Files.getAttribute(motd, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
        assertThat(layer.resolve("etc/.wh.motd")).doesNotExist();
        assertThat(xattr(layer.resolve("var/cache"), "trusted.overlay.opaque")).isEqualTo("y");
        assertThat(layer.resolve("var/cache/.wh..wh..opq")).doesNotExist();
        assertThat(layer.resolve("var/cache/fresh")).hasContent("new");
        assertThat(layer.resolve(".wh..wh.plnk")).doesNotExist();
    }

    @Test
    void refusesDotDotEscapes() throws IOException {
        assertRefused(new TestTars().file("../evil", "x").build(), "../evil");
        assertRefused(new TestTars().file("a/../../evil", "x").build(), "a/../../evil");
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    @Test
    void absolutePathsLandUnderTheLayerRoot() throws IOException {
        unpack(new TestTars().file(outside + "/precious", "overwritten?").build());
        assertThat(outside.resolve("precious")).hasContent("keep");
        assertThat(layer.resolve(outside.toString().substring(1)).resolve("precious")).hasContent("overwritten?");
        assertOutsideUntouched();
    }

    @Test
    void refusesWritingThroughASymlinkedParent() throws IOException {
        byte[] absolute = new TestTars().symlink("link", outside.toString()).file("link/pwned", "x").build();
        assertRefused(absolute, "link/pwned");
        byte[] relative = new TestTars().symlink("up", "../outside").file("up/pwned", "x").build();
        cleanLayer();
        assertRefused(relative, "up/pwned");
    }

    @Test
    void replacesASymlinkInsteadOfWritingThroughIt() throws IOException {
        unpack(new TestTars().symlink("f", outside.resolve("precious").toString()).file("f", "mine").build());
        assertThat(Files.isSymbolicLink(layer.resolve("f"))).isFalse();
        assertThat(layer.resolve("f")).hasContent("mine");
        assertOutsideUntouched();
    }

    @Test
    void refusesHardlinksToOutside() throws IOException {
        Object nlink = Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink");
        assertRefused(new TestTars().hardlink("passwd", "/etc/passwd").build(), "passwd");
        cleanLayer();
        assertRefused(new TestTars().hardlink("passwd", "../../../../../../etc/passwd").build(), "passwd");
        cleanLayer();
        byte[] viaSymlink = new TestTars().symlink("etc", "/etc").hardlink("passwd", "etc/passwd").build();
        assertRefused(viaSymlink, "passwd");
        assertThat(Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink")).isEqualTo(nlink);
    }

    private void assertRefused(byte[] tar, String entry) throws IOException {
        assertThatThrownBy(() -> unpack(tar))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessageStartingWith("refusing layer entry \"" + entry + "\"");
        assertOutsideUntouched();
    }

    private void assertOutsideUntouched() throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> !p.startsWith(layer)).map(tmp::relativize).map(Path::toString).sorted())
                    .containsExactly("", "outside", "outside/precious");
        }
        assertThat(outside.resolve("precious")).hasContent("keep");
    }

    private void cleanLayer() throws IOException {
        FileTrees.deleteRecursively(layer);
        Files.createDirectories(layer);
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    static String xattr(Path p, String name) {
        byte[] buf = new byte[256];
        int n = Libc.INSTANCE.lgetxattr(p.toString(), name, buf, new NativeLong(buf.length));
        return new String(Arrays.copyOf(buf, n), StandardCharsets.UTF_8);
    }
}
