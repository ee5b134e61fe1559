package dev.muelle.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.image.registry.BlobPuller;
import dev.muelle.engine.image.registry.ManifestPuller;
import dev.muelle.engine.image.registry.Platform;
import dev.muelle.engine.image.registry.RegistryAuth;
import dev.muelle.engine.image.registry.RegistryClient;
import dev.muelle.engine.image.registry.RegistryException;
import dev.muelle.engine.image.registry.RegistryHosts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code docker pull}: manifest (through an index to the wanted platform), config, then the
 * layers the layer store lacks, downloaded in parallel (at most {@value #DOWNLOADS} at a time,
 * dockerd's default) and unpacked bottom-up as they arrive.
 *
 * <p>Nothing half-done becomes visible: blobs are hashed as they stream into the content
 * store's ingest area and committed only when their digest matches; layers appear under their
 * chain ID only when unpacked completely; the image row and its references are written last. A
 * layer already in the store is not downloaded, and a blob committed by an interrupted pull is
 * not downloaded again, so the next pull finishes the job.
 */
final class RegistryPull {

    private static final Logger log = LoggerFactory.getLogger(RegistryPull.class);
    static final int DOWNLOADS = 3;
    private static final int ATTEMPTS = 3;
    private static final long REPORT_EVERY_NANOS = 100_000_000L;

    private final ImageService images;
    private final ContentStore blobs;
    private final LayerStore layers;
    private final RegistryHosts hosts;

    RegistryPull(ImageService images, ContentStore blobs, LayerStore layers, RegistryHosts hosts) {
        this.images = images;
        this.blobs = blobs;
        this.layers = layers;
        this.hosts = hosts;
    }

    /** A layer to pull: its blob as the manifest describes it and its diff ID from the config. */
    private record Wanted(Digest blob, long size, Digest diffId, Digest chainId, boolean present) {
        String id() {
            return blob.shortHex();
        }
    }

    /** Pulls {@code ref} (tag or digest, already defaulted to latest) and returns the image ID. */
    String pull(ImageReference ref, Platform platform, RegistryAuth auth, ProgressSink sink) {
        RegistryClient client = new RegistryClient(hosts.endpoint(ref.domain()), ref.path(), auth, "pull");
        client.ping();
        String reference = ref.digest() != null ? ref.digest().toString() : ref.tag();
        ManifestPuller manifests = new ManifestPuller(client);
        ManifestPuller.Manifest top = manifests.pull(reference);
        ManifestPuller.Manifest manifest = top.isIndex()
                ? manifests.pull(ManifestPuller.select(top, platform).toString()) : top;
        sink.report(Progress.message(reference, "Pulling from " + ref.path()));

        BlobPuller blobPuller = new BlobPuller(client);
        Digest configDigest = Digest.parse(manifest.json().path("config").path("digest").asText());
        byte[] config = fetchConfig(blobPuller, configDigest);
        List<Digest> diffIds = new ArrayList<>();
        images.parsedConfig(config).path("rootfs").path("diff_ids").forEach(d -> diffIds.add(Digest.parse(d.asText())));
        JsonNode layerDescriptors = manifest.json().path("layers");
        if (layerDescriptors.size() != diffIds.size()) {
            throw new RegistryException(400, List.of("MANIFEST_INVALID"), "Tried to pull " + client.describe()
                    + " but failed because: the manifest lists " + layerDescriptors.size()
                    + " layers and the image config " + diffIds.size());
        }
        String id = configDigest.toString();
        // By digest, dockerd records only the digest; by tag, the tag and the digest it resolved to.
        ImageReference byDigest = new ImageReference(ref.domain(), ref.path(), null, top.digest());
        ImageReference named = ref.digest() != null ? byDigest : ref;
        boolean known = images.exists(id);
        boolean upToDate = known && images.pointsAt(named, id);
        if (!known) {
            List<Layer> acquired = pullLayers(blobPuller, layerDescriptors, diffIds, sink);
            images.store(config, acquired, "");
        }
        images.setReference(named, id);
        images.setReference(byDigest, id);
        sink.report(Progress.message("Digest: " + top.digest()));
        sink.report(Progress.message((upToDate ? "Status: Image is up to date for " : "Status: Downloaded newer image for ")
                + ref.familiarString()));
        log.info("pulled {} ({}) as {}", ref, top.digest(), id);
        return id;
    }

    private byte[] fetchConfig(BlobPuller puller, Digest digest) {
        if (!blobs.exists(digest)) {
            download(puller, digest, -1, null, ProgressSink.NONE);
        }
        return blobs.readAllBytes(digest);
    }

    private List<Layer> pullLayers(BlobPuller puller, JsonNode descriptors, List<Digest> diffIds, ProgressSink sink) {
        List<Wanted> wanted = new ArrayList<>();
        Digest parent = null;
        for (int i = 0; i < diffIds.size(); i++) {
            JsonNode d = descriptors.get(i);
            Digest chain = ChainId.next(parent, diffIds.get(i));
            wanted.add(new Wanted(Digest.parse(d.path("digest").asText()), d.path("size").asLong(-1), diffIds.get(i),
                    chain, layers.get(chain).isPresent()));
            parent = chain;
        }
        wanted.stream().filter(Wanted::present).forEach(w -> sink.report(Progress.layer(w.id(), "Already exists")));
        AtomicInteger queued = new AtomicInteger();
        for (Wanted w : wanted) {
            if (!w.present()) {
                sink.report(Progress.layer(w.id(), "Pulling fs layer"));
            }
        }
        for (Wanted w : wanted) {
            if (!w.present() && queued.incrementAndGet() > DOWNLOADS) {
                sink.report(Progress.layer(w.id(), "Waiting"));
            }
        }
        TransferPool pool = new TransferPool(DOWNLOADS, "pull-download");
        List<Future<?>> downloads = new ArrayList<>();
        for (Wanted w : wanted) {
            downloads.add(w.present() ? null : pool.submit(() -> {
                if (!blobs.exists(w.blob())) {
                    download(puller, w.blob(), w.size(), w.id(), sink);
                }
                sink.report(Progress.layer(w.id(), "Download complete"));
                return null;
            }));
        }
        List<Layer> acquired = new ArrayList<>();
        try {
            Digest below = null;
            for (int i = 0; i < wanted.size(); i++) {
                Wanted w = wanted.get(i);
                Layer layer;
                if (w.present()) {
                    layer = layers.apply(below, w.diffId(), InputStream.nullInputStream(), 0, null);
                } else {
                    TransferPool.await(downloads.get(i));
                    long size = blobs.size(w.blob());
                    try (InputStream in = new Counting(blobs.read(w.blob()), w.id(), "Extracting", size, sink)) {
                        layer = layers.apply(below, w.diffId(), in, size, w.blob());
                    } catch (IOException e) {
                        throw new EngineException.SystemError("cannot read layer " + w.blob() + ": " + e.getMessage(), e);
                    }
                    sink.report(Progress.layer(w.id(), "Pull complete"));
                }
                acquired.add(layer);
                below = layer.chainId();
            }
            return acquired;
        } catch (RuntimeException e) {
            layers.release(acquired.stream().map(Layer::chainId).toList());
            throw e;
        } finally {
            pool.close();
        }
    }

    /**
     * Streams a blob into the content store and commits it under its digest, trying again when
     * the connection fails midway; a digest mismatch is final.
     */
    private void download(BlobPuller puller, Digest digest, long size, String id, ProgressSink sink) {
        for (int attempt = 1; ; attempt++) {
            ContentStore.Staged staged;
            try (InputStream in = id == null ? puller.open(digest)
                    : new Counting(puller.open(digest), id, "Downloading", size, sink)) {
                staged = blobs.stage(in, size);
            } catch (RegistryException e) {
                if (!e.transientFailure() || attempt >= ATTEMPTS) {
                    throw e;
                }
                continue;
            } catch (EngineException.SystemError | IOException e) {
                // a connection lost midway; disk errors repeat and fail the last attempt
                if (attempt >= ATTEMPTS) {
                    throw puller.failed(digest, e.getMessage());
                }
                log.info("download of {} failed ({}); trying again", digest, e.getMessage());
                continue;
            }
            if (id != null) {
                sink.report(Progress.layer(id, "Verifying Checksum"));
            }
            if (!staged.digest().equals(digest)) {
                blobs.discard(staged);
                throw puller.mismatch(digest, staged.digest());
            }
            blobs.commit(staged, digest);
            return;
        }
    }

    /** Reports bytes read as a layer's progress, at most every 100 ms. */
    private static final class Counting extends FilterInputStream {
        private final String id;
        private final String status;
        private final long total;
        private final ProgressSink sink;
        private long count;
        private long lastReport;

        Counting(InputStream in, String id, String status, long total, ProgressSink sink) {
            super(in);
            this.id = id;
            this.status = status;
            this.total = total;
            this.sink = sink;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                long now = System.nanoTime();
                if (now - lastReport >= REPORT_EVERY_NANOS || count == total) {
                    lastReport = now;
                    sink.report(Progress.bytes(id, status, count, total));
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
