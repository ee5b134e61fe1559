package dev.muelle.engine.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageServiceTest {

    @TempDir
    Path tmp;
    Database db;
    LayerStore layers;
    ImageService images;
    final Map<String, List<String>> users = new HashMap<>();
    final List<String> running = new ArrayList<>();

    final byte[] base = new TestTars().file("bin/sh", "shell", 0755, 0, 0).build();
    final byte[] top = new TestTars().file("etc/motd", "hello").build();
    final byte[] archive = TestTars.dockerArchive(List.of(base, top), List.of("busybox:latest"),
            ",\"Labels\":{\"team\":\"core\"}");

    @BeforeEach
    void open() {
        db = Database.open(tmp.resolve("muelle.db"));
        ContentStore blobs = ContentStore.open(tmp.resolve("image/blobs"));
        layers = LayerStore.open(tmp.resolve("image/layers"), db, blobs);
        images = new ImageService(blobs, layers, db, new ImageUsage() {
            @Override
            public List<String> containersUsing(String imageId) {
                return users.getOrDefault(imageId, List.of());
            }

            @Override
            public List<String> runningContainersUsing(String imageId) {
                return users.getOrDefault(imageId, List.of()).stream().filter(running::contains).toList();
            }
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    private List<String> load(byte[] tar) {
        return images.load(new ByteArrayInputStream(tar), line -> { });
    }

    private static String configId(byte[] archiveTar) {
        // the config is the only *.json blob besides manifest.json; its name is its digest
        String text = new String(archiveTar, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"Config\":\"") + 10;
        return "sha256:" + text.substring(at, at + 64);
    }

    @Test
    void loadsADockerArchiveAndKeepsTheConfigDigestAsId() {
        List<String> progress = new ArrayList<>();
        assertThat(images.load(new ByteArrayInputStream(archive), progress::add)).containsExactly("Loaded image: busybox:latest");
        assertThat(progress).hasSize(2);
        Image image = images.resolve("busybox");
        assertThat(image.id()).isEqualTo(configId(archive));
        assertThat(image.cmd()).containsExactly("sh");
        assertThat(image.env()).containsExactly("PATH=/bin");
        assertThat(image.labels()).containsEntry("team", "core");
        assertThat(image.layers()).containsExactly(Digest.of(base), ChainId.next(Digest.of(base), Digest.of(top)));
        assertThat(layers.diff(image.layers().get(1)).resolve("etc/motd")).hasContent("hello");
    }

    @Test
    void loadingTwiceIsIdempotent() {
        load(archive);
        assertThat(load(archive)).containsExactly("Loaded image: busybox:latest");
        assertThat(images.list(false, Map.of())).hasSize(1);
        // one reference per layer: removing the image removes both layers
        List<Map<String, String>> records = images.remove("busybox", false, false);
        assertThat(records).containsExactly(Map.of("Untagged", "busybox:latest"), Map.of("Deleted", configId(archive)),
                Map.of("Deleted", ChainId.next(Digest.of(base), Digest.of(top)).toString()),
                Map.of("Deleted", Digest.of(base).toString()));
        assertThat(layers.get(Digest.of(base))).isEmpty();
    }

    @Test
    void resolvesByIdPrefixNameAndDigestForms() {
        load(archive);
        String id = configId(archive);
        assertThat(images.resolve(id).id()).isEqualTo(id);
        assertThat(images.resolve(id.substring(7)).id()).isEqualTo(id);
        assertThat(images.resolve(id.substring(7, 19)).id()).isEqualTo(id);
        assertThat(images.resolve(id.substring(0, 15)).id()).isEqualTo(id);
        assertThat(images.resolve("docker.io/library/busybox:latest").id()).isEqualTo(id);
        assertThatThrownBy(() -> images.resolve("nothing")).isInstanceOf(EngineException.NotFound.class)
                .hasMessage("No such image: nothing:latest");
        assertThatThrownBy(() -> images.resolve("busybox:1.0")).hasMessage("No such image: busybox:1.0");
        assertThatThrownBy(() -> images.resolve("sha256:" + "0".repeat(64)))
                .hasMessage("No such image: sha256:" + "0".repeat(64));
        assertThatThrownBy(() -> images.resolve("Busybox")).isInstanceOf(EngineException.InvalidParameter.class);
    }

    @Test
    void listsAndFiltersLikeDocker() {
        load(archive);
        String other = importEmpty("scratchy", "v1");
        ImageSummary busybox = images.list(false, Map.of("reference", List.of("busy*"))).get(0);
        assertThat(busybox.id()).isEqualTo(configId(archive));
        assertThat(busybox.repoTags()).containsExactly("busybox:latest");
        assertThat(busybox.repoDigests()).isEmpty();
        assertThat(busybox.created()).isEqualTo(1620284889L);
        assertThat(busybox.size()).isEqualTo("shell".length() + "hello".length());
        assertThat(busybox.sharedSize()).isEqualTo(-1);
        assertThat(busybox.labels()).containsEntry("team", "core");
        assertThat(images.list(false, Map.of("label", List.of("team=core")))).extracting(ImageSummary::id)
                .containsExactly(configId(archive));
        assertThat(images.list(false, Map.of("since", List.of("busybox")))).extracting(ImageSummary::id)
                .containsExactly(other);
        assertThat(images.list(false, Map.of("before", List.of("scratchy:v1")))).extracting(ImageSummary::id)
                .containsExactly(configId(archive));
        assertThat(images.list(false, Map.of("dangling", List.of("true")))).isEmpty();
        assertThatThrownBy(() -> images.list(false, Map.of("color", List.of("red"))))
                .hasMessage("invalid filter 'color'");
    }

    @Test
    void inspectHasDockersShape() {
        load(archive);
        ObjectNode inspect = images.inspect("busybox:latest");
        assertThat(inspect.get("Id").asText()).isEqualTo(configId(archive));
        assertThat(inspect.get("RepoTags").get(0).asText()).isEqualTo("busybox:latest");
        assertThat(inspect.get("Created").asText()).isEqualTo("2021-05-06T07:08:09Z");
        assertThat(inspect.get("Config").get("Cmd").get(0).asText()).isEqualTo("sh");
        assertThat(inspect.get("Os").asText()).isEqualTo("linux");
        assertThat(inspect.get("RootFS").get("Type").asText()).isEqualTo("layers");
        assertThat(inspect.get("RootFS").get("Layers")).hasSize(2);
        assertThat(inspect.get("RootFS").get("Layers").get(1).asText()).isEqualTo(Digest.of(top).toString());
        assertThat(inspect.get("GraphDriver").get("Name").asText()).isEqualTo("overlay2");
        assertThat(inspect.get("GraphDriver").get("Data").get("UpperDir").asText()).endsWith("/diff");
        assertThat(inspect.get("Metadata").get("LastTagTime").asText()).isNotEqualTo("0001-01-01T00:00:00Z");
    }

    @Test
    void tagsAndRemovesWithDockersConflicts() {
        load(archive);
        String id = configId(archive);
        String shortId = id.substring(7, 19);
        images.tag("busybox", "localhost:5000/app", "v1");
        assertThat(images.resolve("localhost:5000/app:v1").id()).isEqualTo(id);
        assertThat(images.resolve(id).repoTags()).containsExactlyInAnyOrder("busybox:latest", "localhost:5000/app:v1");

        assertThatThrownBy(() -> images.remove(shortId, false, false)).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("conflict: unable to delete " + shortId
                        + " (must be forced) - image is referenced in multiple repositories");
        assertThat(images.remove("localhost:5000/app:v1", false, false))
                .containsExactly(Map.of("Untagged", "localhost:5000/app:v1"));

        users.put(id, List.of("1a2b3c4d5e6f7a8b9c0d"));
        assertThatThrownBy(() -> images.remove("busybox", false, false)).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("conflict: unable to remove repository reference \"busybox\" (must force) - container "
                        + "1a2b3c4d5e6f is using its referenced image " + shortId);
        assertThatThrownBy(() -> images.remove(id, false, false))
                .hasMessage("conflict: unable to delete " + shortId
                        + " (must be forced) - image is being used by stopped container 1a2b3c4d5e6f");
        running.add("1a2b3c4d5e6f7a8b9c0d");
        assertThatThrownBy(() -> images.remove(id, true, false))
                .hasMessage("conflict: unable to delete " + shortId
                        + " (cannot be forced) - image is being used by running container 1a2b3c4d5e6f");
        // forcing the last tag away from a running container's image only untags: it stays, dangling
        assertThat(images.remove("busybox", true, false)).containsExactly(Map.of("Untagged", "busybox:latest"));
        assertThat(images.list(false, Map.of("dangling", List.of("true")))).extracting(ImageSummary::id)
                .containsExactly(id);
        // once stopped, force deletes it (dockerd does the same; the container's snapshot keeps the layers)
        running.clear();
        assertThat(images.remove(id, true, false)).contains(Map.of("Deleted", id));
    }

    @Test
    void loadingMovesATagFromAnOlderImage() {
        load(archive);
        byte[] newer = TestTars.dockerArchive(List.of(top), List.of("busybox:latest"), "");
        assertThat(load(newer)).containsExactly("The image busybox:latest already exists, renaming the old one with ID "
                + configId(archive) + " to empty string", "Loaded image: busybox:latest");
        assertThat(images.resolve("busybox").id()).isEqualTo(configId(newer));
        byte[] untagged = TestTars.dockerArchive(List.of(base), List.of(), ",\"User\":\"nobody\"");
        assertThat(load(untagged)).containsExactly("Loaded image ID: " + configId(untagged));
    }

    @Test
    void loadsAnOciLayout() {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"true\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.of(base) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"digest\":\"" + Digest.of(config) + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"digest\":\"" + Digest.of(base) + "\",\"size\":" + base.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"digest\":\"" + Digest.of(manifest) + "\",\"size\":" + manifest.length + ","
                + "\"annotations\":{\"io.containerd.image.name\":\"docker.io/library/oci:1\","
                + "\"org.opencontainers.image.ref.name\":\"1\"}}]}";
        byte[] layout = new TestTars().file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}")
                .file("blobs/sha256/" + Digest.of(config).hex(), config, 0644, 0, 0)
                .file("blobs/sha256/" + Digest.of(manifest).hex(), manifest, 0644, 0, 0)
                .file("blobs/sha256/" + Digest.of(base).hex(), base, 0644, 0, 0)
                .file("index.json", index).build();
        assertThat(load(layout)).containsExactly("Loaded image: oci:1");
        assertThat(images.resolve("oci:1").id()).isEqualTo(Digest.of(config).toString());
    }

    @Test
    void importsARootfsWithChanges() {
        String id = images.importRootfs(new ByteArrayInputStream(base), "imported", "v2",
                List.of("CMD [\"/bin/sh\"]", "ENV A=1 B=\"two words\"", "ENTRYPOINT tini", "WORKDIR /srv", "USER 1000",
                        "EXPOSE 80 53/udp", "LABEL org.x=y", "VOLUME /data"), "from a tarball");
        Image image = images.resolve("imported:v2");
        assertThat(image.id()).isEqualTo(id);
        assertThat(image.cmd()).containsExactly("/bin/sh");
        assertThat(image.entrypoint()).containsExactly("/bin/sh", "-c", "tini");
        assertThat(image.env()).containsExactly("A=1", "B=two words");
        assertThat(image.workingDir()).isEqualTo("/srv");
        assertThat(image.user()).isEqualTo("1000");
        assertThat(image.exposedPorts()).containsExactlyInAnyOrder("80/tcp", "53/udp");
        assertThat(image.labels()).containsEntry("org.x", "y");
        assertThat(image.volumes()).containsExactly("/data");
        assertThat(image.layers()).containsExactly(Digest.of(base));
        assertThat(images.inspect(id).get("Comment").asText()).isEqualTo("from a tarball");
        var history = images.history("imported:v2");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("Id").asText()).isEqualTo(id);
        assertThat(history.get(0).get("Tags").get(0).asText()).isEqualTo("imported:v2");
        assertThat(history.get(0).get("Size").asLong()).isEqualTo("shell".length());
        assertThat(history.get(0).get("Comment").asText()).isEqualTo("from a tarball");
        assertThatThrownBy(() -> images.importRootfs(new ByteArrayInputStream(base), "", "", List.of("RUN true"), ""))
                .isInstanceOf(EngineException.InvalidParameter.class).hasMessage("run is not a valid change command");
    }

    @Test
    void importingAnEmptyTarGivesAnImageWithoutLayers() {
        String id = importEmpty("empty", "");
        assertThat(images.resolve("empty:latest").layers()).isEmpty();
        assertThat(images.inspect(id).get("RootFS").get("Layers")).isEmpty();
    }

    @Test
    void saveThenLoadIntoAnotherStoreKeepsIds() throws Exception {
        load(archive);
        String imported = images.importRootfs(new ByteArrayInputStream(top), "imp", "1", List.of(), "");
        byte[] saved;
        try (var in = images.save(List.of("busybox", imported))) {
            saved = in.readAllBytes();
        }
        try (Database other = Database.open(tmp.resolve("other.db"))) {
            ContentStore blobs = ContentStore.open(tmp.resolve("other/blobs"));
            ImageService copy = new ImageService(blobs, LayerStore.open(tmp.resolve("other/layers"), other, blobs), other,
                    ImageUsage.NONE);
            assertThat(copy.load(new ByteArrayInputStream(saved), l -> { }))
                    .containsExactly("Loaded image: busybox:latest", "Loaded image ID: " + imported);
            assertThat(copy.resolve("busybox").id()).isEqualTo(configId(archive));
            assertThat(copy.resolve("busybox").layers()).isEqualTo(images.resolve("busybox").layers());
        }
    }

    @Test
    void aRefusedLayerLeavesNoImageLayerOrBlob() throws Exception {
        byte[] evil = new TestTars().file("../../escape", "x").build();
        assertThatThrownBy(() -> load(TestTars.dockerArchive(List.of(base, evil), List.of("evil:1"), "")))
                .isInstanceOf(EngineException.InvalidParameter.class).hasMessageContaining("../../escape");
        assertThat(images.list(true, Map.of())).isEmpty();
        assertThat(layers.get(Digest.of(base))).isEmpty();
        try (var files = java.nio.file.Files.walk(tmp.resolve("image"))) {
            assertThat(files.filter(java.nio.file.Files::isRegularFile)).isEmpty();
        }
        assertThat(tmp.getParent().resolve("escape")).doesNotExist();
    }

    private String importEmpty(String repo, String tag) {
        return images.importRootfs(new ByteArrayInputStream(new TestTars().build()), repo, tag, List.of(), "");
    }
}
