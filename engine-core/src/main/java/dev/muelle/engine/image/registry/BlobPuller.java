package dev.muelle.engine.image.registry;

import dev.muelle.engine.image.Digest;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v2/<name>/blobs/<digest>}: opens a blob's content as a stream (following the
 * registry's redirect to storage, if any). The caller hashes what it reads and checks it with
 * {@link #mismatch}; nothing here trusts the registry to send the bytes the digest names.
 */
public final class BlobPuller {

    private final RegistryClient client;

    public BlobPuller(RegistryClient client) {
        this.client = client;
    }

    /** The blob's bytes; the caller closes the stream. */
    public InputStream open(Digest digest) {
        HttpResponse<InputStream> r = client.send(new RegistryClient.Call("GET",
                client.repository() + "/blobs/" + digest, Map.of(), null, Set.of(200)));
        return r.body();
    }

    /** The failure for a blob whose content hashed to {@code got}. */
    public RegistryException mismatch(Digest digest, Digest got) {
        return new RegistryException(400, List.of("DIGEST_INVALID"), "Tried to pull blob " + digest + " from "
                + client.describe() + " but failed because: digest mismatch (got " + got + ")");
    }

    /** A failure while reading the blob, saying what was tried. */
    public RegistryException failed(Digest digest, String why) {
        return new RegistryException(0, List.of(), "Tried to pull blob " + digest + " from "
                + client.describe() + " but failed because: " + why);
    }
}
