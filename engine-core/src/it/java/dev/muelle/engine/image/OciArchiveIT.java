package dev.muelle.engine.image;

import dev.muelle.engine.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loads an OCI archive written by a real tool (skopeo, with gzip-compressed layers) rather than
 * one this project built, so the OCI path is checked against someone else's reading of the spec.
 */
class OciArchiveIT {

    @TempDir
    Path tmp;

    @Test
    void loadsWhatSkopeoWrites() throws Exception {
        byte[] base = new TestTars().file("bin/tool", "x", 0755, 0, 0).file("etc/old", "o").build();
        byte[] top = new TestTars().dir("etc", 0755).file("etc/.wh.old", "").build();
        Path dockerArchive = Files.write(tmp.resolve("in.tar"),
                TestTars.dockerArchive(List.of(base, top), List.of("fromskopeo:1"), ""));
        Path oci = tmp.resolve("out.tar");
        Process p = new ProcessBuilder("skopeo", "copy", "-q", "docker-archive:" + dockerArchive,
                "oci-archive:" + oci + ":localhost/fromskopeo:oci").inheritIO().start();
        assertThat(p.waitFor()).isZero();

        try (Database db = Database.open(tmp.resolve("muelle.db"))) {
            ContentStore blobs = ContentStore.open(tmp.resolve("image/blobs"));
            LayerStore layers = LayerStore.open(tmp.resolve("image/layers"), db, blobs);
            ImageService images = new ImageService(blobs, layers, db, ImageUsage.NONE);
            try (InputStream in = Files.newInputStream(oci)) {
                assertThat(images.load(in, l -> { })).containsExactly("Loaded image: localhost/fromskopeo:oci");
            }
            Image image = images.resolve("localhost/fromskopeo:oci");
            assertThat(image.layers()).containsExactlyElementsOf(ChainId.of(List.of(Digest.of(base), Digest.of(top))));
            Path whiteout = layers.diff(image.layers().get(1)).resolve("etc/old");
            assertThat((Integer) Files.getAttribute(whiteout, "unix:mode") & 0170000).isEqualTo(0020000);
        }
    }
}
