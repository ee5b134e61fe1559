package dev.muelle.engine.image;

import dev.muelle.engine.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loads a real two-layer docker-archive and runs a container rootfs over it with real overlayfs
 * mounts. Needs root (mknod whiteouts, trusted xattrs, mount).
 */
class ImageSnapshotIT {

    @TempDir
    Path dataRoot;
    Database db;
    LayerStore layers;
    ImageService images;
    Snapshotter snapshots;
    final List<String> containers = new ArrayList<>();

    final byte[] layer1 = new TestTars()
            .dir("etc", 0755)
            .file("etc/gone", "bye")
            .file("etc/kept", "still here")
            .file("bin/hello", "#!/bin/sh\necho hi\n", 0750, 1000, 1001)
            .symlink("bin/sh", "/bin/busybox")
            .dir("var/cache", 0755)
            .file("var/cache/old", "stale")
            .build();
    final byte[] layer2 = new TestTars()
            .dir("etc", 0755)
            .file("etc/.wh.gone", "")
            .file("etc/new", "fresh", 0640, 0, 33)
            .dir("var/cache", 0755)
            .file("var/cache/.wh..wh..opq", "")
            .file("var/cache/current", "now")
            .build();
    final byte[] archive = TestTars.dockerArchive(List.of(layer1, layer2), List.of("twolayer:latest"), "");

    @BeforeEach
    void open() {
        db = Database.open(dataRoot.resolve("muelle.db"));
        ContentStore blobs = ContentStore.open(dataRoot.resolve("image/blobs"));
        layers = LayerStore.open(dataRoot.resolve("image/layers"), db, blobs);
        images = new ImageService(blobs, layers, db, ImageUsage.NONE);
        snapshots = new Snapshotter(dataRoot.resolve("containers"), db, layers, images);
    }

    @AfterEach
    void close() {
        containers.forEach(snapshots::unmount); // never let @TempDir cleanup walk into a mount
        db.close();
    }

    private Path run(String containerId, String image) {
        containers.add(containerId);
        snapshots.prepare(containerId, image);
        return snapshots.mount(containerId);
    }

    @Test
    void mergedViewAppliesWhiteoutsAndKeepsOwnersAndModes() throws IOException {
        assertThat(images.load(new ByteArrayInputStream(archive), l -> { })).containsExactly("Loaded image: twolayer:latest");
        String id = images.resolve("twolayer").id();
        Path merged = run("c1", "twolayer");

        assertThat(Snapshotter.isMountPoint(merged)).isTrue();
        assertThat(merged.resolve("etc/gone")).doesNotExist();
        assertThat(merged.resolve("etc/kept")).hasContent("still here");
        assertThat(merged.resolve("etc/new")).hasContent("fresh");
        assertThat(mode(merged.resolve("etc/new"))).isEqualTo(0640);
        assertThat(Files.getAttribute(merged.resolve("etc/new"), "unix:gid")).isEqualTo(33);
        assertThat(mode(merged.resolve("bin/hello"))).isEqualTo(0750);
        assertThat(Files.getAttribute(merged.resolve("bin/hello"), "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(merged.resolve("bin/hello"), "unix:gid")).isEqualTo(1001);
        assertThat(Files.readSymbolicLink(merged.resolve("bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(list(merged.resolve("var/cache"))).containsExactly("current");

        Snapshot snapshot = snapshots.get("c1");
        List<Digest> chain = images.resolve(id).layers();
        assertThat(snapshot.lowerDirs()).containsExactly(layers.diff(chain.get(1)), layers.diff(chain.get(0)));
        Files.writeString(merged.resolve("etc/written"), "by the container");
        Files.delete(merged.resolve("etc/kept"));
        assertThat(snapshot.upperDir().resolve("etc/written")).hasContent("by the container");
        for (Path lower : snapshot.lowerDirs()) {
            assertThat(lower.resolve("etc/written")).doesNotExist();
        }
        assertThat(layers.diff(images.resolve(id).layers().get(0)).resolve("etc/kept")).hasContent("still here");
        assertThat(snapshots.usage("c1")).isEqualTo("by the container".length());

        // the snapshot holds the layers even when the image is force-removed under it
        images.remove("twolayer", true, false);
        assertThat(merged.resolve("etc/new")).hasContent("fresh");
        snapshots.unmount("c1");
        assertThat(Snapshotter.isMountPoint(merged)).isFalse();
        assertThat(merged.resolve("etc")).doesNotExist();
        snapshots.remove("c1");
        assertThat(dataRoot.resolve("containers/c1/overlay")).doesNotExist();
        assertThat(list(dataRoot.resolve("image/layers"))).isEmpty();
    }

    @Test
    void loadingTheSameArchiveTwiceGivesTheSameId() {
        images.load(new ByteArrayInputStream(archive), l -> { });
        String first = images.resolve("twolayer").id();
        images.load(new ByteArrayInputStream(archive), l -> { });
        assertThat(images.resolve("twolayer").id()).isEqualTo(first).isEqualTo(Digest.of(configOf(archive)).toString());
        assertThat(images.list(true, java.util.Map.of())).hasSize(1);
    }

    @Test
    void imageWithoutLayersStillMounts() throws IOException {
        String id = images.importRootfs(new ByteArrayInputStream(new TestTars().build()), "empty", "", List.of(), "");
        Path merged = run("c2", id);
        assertThat(list(merged)).isEmpty();
        Files.writeString(merged.resolve("hello"), "x");
        assertThat(snapshots.get("c2").upperDir().resolve("hello")).hasContent("x");
        snapshots.remove("c2");
    }

    @Test
    void deepImagesMountPastTheOnePageOptionLimit() throws IOException {
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(new TestTars().file("layer" + i, "content " + i).build());
        }
        images.load(new ByteArrayInputStream(TestTars.dockerArchive(many, List.of("deep:1"), "")), l -> { });
        String absolute = String.join(":", snapshotLowerDirs("deep:1"));
        assertThat(absolute.length()).isGreaterThan(4096);
        Path merged = run("c3", "deep:1");
        assertThat(merged.resolve("layer0")).hasContent("content 0");
        assertThat(merged.resolve("layer49")).hasContent("content 49");
        snapshots.remove("c3");
    }

    private List<String> snapshotLowerDirs(String ref) {
        return images.resolve(ref).layers().stream().map(c -> layers.diff(c).toString()).toList();
    }

    private static byte[] configOf(byte[] archiveTar) {
        String text = new String(archiveTar, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("{\"architecture\"");
        int end = text.indexOf("]}}", at) + 3;
        return text.substring(at, end).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
