package dev.muelle.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.json.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contents of a {@code docker save} archive (manifest.json listing Config, RepoTags and
 * Layers per image) or of an OCI image layout tar (index.json and blobs/sha256/...), read in one
 * streaming pass.
 *
 * <p>The manifest usually comes last, so nothing is known about a file when it streams past:
 * every regular file is staged in the {@link ContentStore} (hashed, not yet committed) and the
 * caller commits the configs and layers the manifest names. {@link #close} discards the rest, so
 * an archive's bookkeeping files ({@code <id>/json}, {@code VERSION}) never become blobs.
 */
final class DockerArchive implements AutoCloseable {

    /** One image in the archive: its config and layer tars (bottom first) and the tags to apply. */
    record Entry(ContentStore.Staged config, List<ContentStore.Staged> layers, List<String> repoTags) {
    }

    private static final Set<String> MANIFESTS = Set.of("manifest.json", "index.json");
    private static final int MAX_MANIFEST_BYTES = 16 << 20;
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    private final ContentStore blobs;
    private final Map<String, ContentStore.Staged> files = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();
    private final Map<String, byte[]> manifests = new HashMap<>();

    private DockerArchive(ContentStore blobs) {
        this.blobs = blobs;
    }

    /** Reads the whole archive (gzip/zstd/plain), staging its files in {@code blobs}. */
    static DockerArchive read(InputStream in, ContentStore blobs) throws IOException {
        DockerArchive archive = new DockerArchive(blobs);
        try {
            TarArchiveInputStream tar = new TarArchiveInputStream(LayerUnpacker.decompressed(in));
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = String.join("/", LayerUnpacker.clean(e.getName()));
                if (e.isSymbolicLink()) {
                    String dir = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
                    String target = e.getLinkName().startsWith("/") ? e.getLinkName() : dir + e.getLinkName();
                    archive.links.put(name, String.join("/", LayerUnpacker.clean(target)));
                } else if (e.isLink()) {
                    archive.links.put(name, String.join("/", LayerUnpacker.clean(e.getLinkName())));
                } else if (e.isFile() && MANIFESTS.contains(name)) {
                    if (e.getSize() > MAX_MANIFEST_BYTES) {
                        throw new EngineException.InvalidParameter("invalid archive: " + name + " is too large");
                    }
                    archive.manifests.put(name, tar.readAllBytes());
                } else if (e.isFile()) {
                    ContentStore.Staged old = archive.files.put(name, blobs.stage(tar, e.getSize()));
                    if (old != null) {
                        blobs.discard(old);
                    }
                }
            }
            return archive;
        } catch (IOException | RuntimeException e) {
            archive.close();
            throw e;
        }
    }

    /** The images the archive describes, from manifest.json if present, else from index.json. */
    List<Entry> images() throws IOException {
        if (manifests.containsKey("manifest.json")) {
            List<Entry> out = new ArrayList<>();
            for (JsonNode m : Json.parse(manifests.get("manifest.json"))) {
                List<ContentStore.Staged> layers = new ArrayList<>();
                for (JsonNode l : m.path("Layers")) {
                    layers.add(file(l.asText()));
                }
                List<String> tags = new ArrayList<>();
                m.path("RepoTags").forEach(t -> tags.add(t.asText()));
                out.add(new Entry(file(m.path("Config").asText()), layers, tags));
            }
            return out;
        }
        if (manifests.containsKey("index.json")) {
            List<Entry> out = new ArrayList<>();
            for (JsonNode descriptor : Json.parse(manifests.get("index.json")).path("manifests")) {
                out.add(fromOciManifest(descriptor));
            }
            return out;
        }
        throw new EngineException.InvalidParameter("invalid archive: it contains neither manifest.json nor index.json");
    }

    private Entry fromOciManifest(JsonNode descriptor) throws IOException {
        JsonNode manifest = Json.parse(readBlob(descriptor.path("digest").asText()));
        String mediaType = manifest.path("mediaType").asText(descriptor.path("mediaType").asText());
        if (mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST) || manifest.has("manifests")) {
            JsonNode chosen = null;
            for (JsonNode m : manifest.path("manifests")) {
                JsonNode platform = m.path("platform");
                if (platform.path("os").asText("linux").equals("linux")
                        && platform.path("architecture").asText(hostArchitecture()).equals(hostArchitecture())
                        && files.containsKey(blobPath(m.path("digest").asText()))) {
                    chosen = m;
                    break;
                }
            }
            if (chosen == null) {
                throw new EngineException.InvalidParameter("invalid archive: no image for linux/" + hostArchitecture());
            }
            Entry inner = fromOciManifest(chosen);
            return new Entry(inner.config(), inner.layers(), tags(descriptor));
        }
        List<ContentStore.Staged> layers = new ArrayList<>();
        for (JsonNode l : manifest.path("layers")) {
            layers.add(file(blobPath(l.path("digest").asText())));
        }
        return new Entry(file(blobPath(manifest.path("config").path("digest").asText())), layers, tags(descriptor));
    }

    /** containerd/docker name the image in full; plain OCI layouts often carry only a tag, which names nothing. */
    private static List<String> tags(JsonNode descriptor) {
        JsonNode annotations = descriptor.path("annotations");
        String name = annotations.path("io.containerd.image.name").asText("");
        if (name.isEmpty()) {
            String ref = annotations.path("org.opencontainers.image.ref.name").asText("");
            name = ref.contains(":") || ref.contains("/") ? ref : "";
        }
        return name.isEmpty() ? List.of() : List.of(name);
    }

    private byte[] readBlob(String digest) throws IOException {
        try (InputStream in = Files.newInputStream(file(blobPath(digest)).file())) {
            return in.readNBytes(MAX_MANIFEST_BYTES);
        }
    }

    private static String blobPath(String digest) {
        return "blobs/" + Digest.parse(digest).toString().replace(':', '/');
    }

    private ContentStore.Staged file(String path) {
        String name = String.join("/", LayerUnpacker.clean(path));
        for (int hops = 0; links.containsKey(name) && hops < 16; hops++) {
            name = links.get(name);
        }
        ContentStore.Staged staged = files.get(name);
        if (staged == null) {
            throw new EngineException.InvalidParameter("invalid archive: " + path + " is missing");
        }
        return staged;
    }

    static String hostArchitecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    /** Discards every staged file not committed by the caller. */
    @Override
    public void close() {
        files.values().forEach(blobs::discard);
    }
}
