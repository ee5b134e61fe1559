package dev.muelle.engine.image.registry;

import dev.muelle.engine.image.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Uploads a blob: {@code HEAD /v2/<name>/blobs/<digest>} first ("Layer already exists" when it
 * answers 200), else {@code POST /v2/<name>/blobs/uploads/} for an upload URL and one
 * monolithic {@code PUT <location>?digest=<digest>} with the content.
 */
public final class BlobPusher {

    /** Supplies the blob's content afresh for each attempt. */
    public interface Content {
        InputStream open() throws IOException;
    }

    private final RegistryClient client;

    public BlobPusher(RegistryClient client) {
        this.client = client;
    }

    /** Whether the repository already has the blob. */
    public boolean exists(Digest digest) {
        HttpResponse<InputStream> r = client.send(new RegistryClient.Call("HEAD",
                client.repository() + "/blobs/" + digest, Map.of(), null, Set.of(200, 404)));
        RegistryClient.drain(r);
        return r.statusCode() == 200;
    }

    /** Starts an upload session; returns its location. */
    String startUpload() {
        HttpResponse<InputStream> r = client.send(new RegistryClient.Call("POST",
                client.repository() + "/blobs/uploads/", Map.of(), null, Set.of(202)));
        RegistryClient.drain(r);
        return location(r);
    }

    /**
     * Uploads the blob ({@code location}: an upload already started, e.g. by a mount the
     * registry declined; null starts one). {@code progress} hears the bytes sent so far.
     */
    public void push(Digest digest, long size, Content content, String location, LongConsumer progress) {
        String upload = location != null ? location : startUpload();
        String target = upload + (upload.contains("?") ? "&" : "?") + "digest=" + digest;
        HttpResponse<InputStream> r = client.send(new RegistryClient.Call("PUT", target,
                Map.of("Content-Type", "application/octet-stream"),
                () -> HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new Counting(content.open(), progress);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), size), Set.of(201)));
        RegistryClient.drain(r);
    }

    static String location(HttpResponse<?> r) {
        return r.headers().firstValue("Location").orElseThrow(() -> new RegistryException(502, java.util.List.of(),
                "registry sent no upload location for " + r.request().method() + " " + r.uri()));
    }

    /** Reports bytes read, for the push progress bar. */
    private static final class Counting extends FilterInputStream {
        private final LongConsumer progress;
        private long count;

        Counting(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.accept(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                progress.accept(count);
            }
            return n;
        }
    }
}
