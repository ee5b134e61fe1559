package dev.muelle.engine.image;

import dev.muelle.engine.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an interrupted pull or load leaves, settled: layers unpacked for an image never recorded
 * are removed at start-up ({@link ImageService#recover}); blobs it committed stay for the next
 * pull, and {@code image prune} sweeps those left from before the engine started.
 */
class ImageRecoveryTest {

    @TempDir
    Path tmp;
    Database db;
    ContentStore blobs;
    LayerStore layers;

    final byte[] base = new TestTars().file("bin/sh", "shell", 0755, 0, 0).build();
    final byte[] top = new TestTars().file("etc/motd", "hello").build();

    @BeforeEach
    void open() {
        db = Database.open(tmp.resolve("muelle.db"));
        blobs = ContentStore.open(tmp.resolve("image/blobs"));
        layers = LayerStore.open(tmp.resolve("image/layers"), db, blobs);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private ImageService service() {
        return new ImageService(blobs, layers, db, ImageUsage.NONE);
    }

    @Test
    void layersOfAnImageNeverRecordedAreRemovedAtStartUpAndRecordedOnesKept() {
        ImageService images = service();
        images.load(new ByteArrayInputStream(TestTars.dockerArchive(List.of(base), List.of("kept:1"), "")), l -> { });
        Digest baseChain = Digest.of(base);
        // A pull killed after unpacking its second layer: one more reference on the base, a new top layer.
        Layer orphanTop = layers.apply(layers.apply(null, Digest.of(base), new ByteArrayInputStream(base), base.length, null).chainId(),
                Digest.of(top), new ByteArrayInputStream(top), top.length, null);

        service().recover();

        assertThat(layers.get(orphanTop.chainId())).isEmpty();
        assertThat(Files.exists(layers.diff(orphanTop.chainId()))).isFalse();
        assertThat(layers.get(baseChain)).isPresent();
        // exactly one reference left: removing the image removes the layer
        images.remove("kept:1", false, false);
        assertThat(layers.get(baseChain)).isEmpty();
    }

    @Test
    void pruneSweepsOldUnreferencedBlobsButNotReferencedOrNewOnes() throws Exception {
        service().load(new ByteArrayInputStream(TestTars.dockerArchive(List.of(base), List.of("kept:1"), "")), l -> { });
        Digest orphan = blobs.write(new ByteArrayInputStream("left by a killed pull".getBytes(StandardCharsets.UTF_8)), null);
        FileTime past = FileTime.from(Instant.now().minusSeconds(3600));
        for (Digest d : blobs.writtenBefore(Instant.now().plusSeconds(1))) {
            Files.setLastModifiedTime(blobs.path(d), past); // all from before this engine started
        }
        ImageService engine = service();
        Digest fresh = blobs.write(new ByteArrayInputStream("a pull in progress".getBytes(StandardCharsets.UTF_8)), null);
        // the file system's coarse clock may stamp it before the engine's start instant: pin it after
        Files.setLastModifiedTime(blobs.path(fresh), FileTime.from(Instant.now().plusSeconds(60)));

        PruneReport report = engine.prune(Map.of());

        assertThat(blobs.exists(orphan)).isFalse();
        assertThat(blobs.exists(fresh)).isTrue();
        assertThat(report.spaceReclaimed()).isEqualTo("left by a killed pull".length());
        String id = engine.inspect("kept:1").path("Id").asText();
        assertThat(blobs.exists(Digest.parse(id))).isTrue();
        assertThat(layers.get(Digest.of(base)).orElseThrow().blob()).matches(blobs::exists);
    }
}
