package dev.muelle.engine.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.image.registry.BlobMounter;
import dev.muelle.engine.image.registry.BlobPusher;
import dev.muelle.engine.image.registry.ManifestPusher;
import dev.muelle.engine.image.registry.MediaTypes;
import dev.muelle.engine.image.registry.RegistryAuth;
import dev.muelle.engine.image.registry.RegistryClient;
import dev.muelle.engine.image.registry.RegistryHosts;
import dev.muelle.engine.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * One {@code docker push} of one tag: each layer blob exactly as the store keeps it (so a pulled
 * image pushes back the same digests), skipped when the registry has it ("Layer already exists")
 * or mounted from another repository of the same registry that has it, then the config, then a
 * manifest: Docker schema 2 when every layer is gzip, else OCI (which can say "uncompressed" and
 * "zstd"). Layers go up in parallel, at most {@value #UPLOADS} at a time.
 */
final class RegistryPush {

    private static final Logger log = LoggerFactory.getLogger(RegistryPush.class);
    private static final int UPLOADS = 3;
    private static final long REPORT_EVERY_NANOS = 100_000_000L;

    private final ImageService images;
    private final ContentStore blobs;
    private final RegistryHosts hosts;

    RegistryPush(ImageService images, ContentStore blobs, RegistryHosts hosts) {
        this.images = images;
        this.blobs = blobs;
        this.hosts = hosts;
    }

    private enum Compression { NONE, GZIP, ZSTD }

    void push(ImageReference ref, String id, ObjectNode config, RegistryAuth auth, ProgressSink sink) {
        sink.report(Progress.message("The push refers to repository [" + ref.name() + "]"));
        RegistryClient client = new RegistryClient(hosts.endpoint(ref.domain()), ref.path(), auth, "pull,push");
        List<Layer> stack = images.layersOf(id);
        List<Layer> top = new ArrayList<>(stack);
        java.util.Collections.reverse(top); // dockerd lists the top layer first
        top.forEach(l -> sink.report(Progress.layer(l.diffId().shortHex(), "Preparing")));
        client.ping();
        BlobPusher pusher = new BlobPusher(client);
        try (TransferPool pool = new TransferPool(UPLOADS, "push-upload")) {
            List<Future<?>> uploads = new ArrayList<>();
            for (Layer layer : top) {
                uploads.add(pool.submit(() -> pushLayer(ref, client, pusher, layer, sink)));
            }
            uploads.forEach(TransferPool::await);
        }
        Digest configDigest = Digest.parse(id);
        if (!pusher.exists(configDigest)) {
            pusher.push(configDigest, blobs.size(configDigest), () -> blobs.read(configDigest), null, n -> { });
        }
        List<Compression> kinds = stack.stream().map(l -> compression(l.blob())).toList();
        boolean docker = kinds.stream().allMatch(k -> k == Compression.GZIP);
        ObjectNode manifest = Json.object();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST);
        ObjectNode c = manifest.putObject("config");
        c.put("mediaType", docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG);
        c.put("size", blobs.size(configDigest));
        c.put("digest", configDigest.toString());
        ArrayNode layersNode = manifest.putArray("layers");
        for (int i = 0; i < stack.size(); i++) {
            ObjectNode l = layersNode.addObject();
            l.put("mediaType", docker ? MediaTypes.DOCKER_LAYER_GZIP : switch (kinds.get(i)) {
                case GZIP -> MediaTypes.OCI_LAYER_GZIP;
                case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
                case NONE -> MediaTypes.OCI_LAYER;
            });
            l.put("size", blobs.size(stack.get(i).blob()));
            l.put("digest", stack.get(i).blob().toString());
        }
        byte[] bytes = Json.pretty(manifest);
        Digest digest = new ManifestPusher(client).push(ref.tag(), bytes, manifest.path("mediaType").asText());
        images.setReference(new ImageReference(ref.domain(), ref.path(), null, digest), id);
        sink.report(Progress.message(ref.tag() + ": digest: " + digest + " size: " + bytes.length));
        Map<String, Object> aux = new LinkedHashMap<>();
        aux.put("Tag", ref.tag());
        aux.put("Digest", digest.toString());
        aux.put("Size", bytes.length);
        sink.report(Progress.aux(aux));
        log.info("pushed {} as {}", ref, digest);
    }

    private Void pushLayer(ImageReference ref, RegistryClient client, BlobPusher pusher, Layer layer, ProgressSink sink) {
        String shortId = layer.diffId().shortHex();
        Digest blob = layer.blob();
        if (blob == null || !blobs.exists(blob)) {
            throw new EngineException.SystemError("cannot push layer " + layer.diffId() + ": its tar was not kept");
        }
        if (pusher.exists(blob)) {
            sink.report(Progress.layer(shortId, "Layer already exists"));
            return null;
        }
        String upload = null;
        for (ImageReference other : images.digestReferencesWithBlob(blob)) {
            if (other.domain().equals(ref.domain()) && !other.path().equals(ref.path())) {
                BlobMounter.Result mounted = new BlobMounter(client).mount(blob, other.path());
                if (mounted.mounted()) {
                    sink.report(Progress.layer(shortId, "Mounted from " + other.path()));
                    return null;
                }
                upload = mounted.uploadLocation();
                break;
            }
        }
        long size = blobs.size(blob);
        long[] last = {0};
        pusher.push(blob, size, () -> blobs.read(blob), upload, n -> {
            long now = System.nanoTime();
            if (now - last[0] >= REPORT_EVERY_NANOS || n == size) {
                last[0] = now;
                sink.report(Progress.bytes(shortId, "Pushing", n, size));
            }
        });
        sink.report(Progress.layer(shortId, "Pushed"));
        return null;
    }

    private Compression compression(Digest blob) {
        try (InputStream in = blobs.read(blob)) {
            byte[] m = in.readNBytes(4);
            if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
                return Compression.GZIP;
            }
            if (m.length == 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f
                    && (m[3] & 0xff) == 0xfd) {
                return Compression.ZSTD;
            }
            return Compression.NONE;
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot read layer " + blob + ": " + e.getMessage(), e);
        }
    }
}
