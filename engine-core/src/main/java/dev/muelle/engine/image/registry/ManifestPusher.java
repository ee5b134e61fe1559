package dev.muelle.engine.image.registry;

import dev.muelle.engine.image.Digest;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code PUT /v2/<name>/manifests/<tag>}: publishes a manifest under a tag. Its digest is the
 * sha256 of the exact bytes sent; a registry that reports another digest is an error.
 */
public final class ManifestPusher {

    private final RegistryClient client;

    public ManifestPusher(RegistryClient client) {
        this.client = client;
    }

    public Digest push(String tag, byte[] manifest, String mediaType) {
        Digest digest = Digest.of(manifest);
        HttpResponse<InputStream> r = client.send(new RegistryClient.Call("PUT",
                client.repository() + "/manifests/" + tag, Map.of("Content-Type", mediaType),
                () -> HttpRequest.BodyPublishers.ofByteArray(manifest), Set.of(201, 200)));
        RegistryClient.drain(r);
        String reported = r.headers().firstValue("Docker-Content-Digest").orElse(digest.toString());
        if (!reported.equals(digest.toString())) {
            throw new RegistryException(400, List.of("DIGEST_INVALID"), "Tried to push manifest " + tag + " to "
                    + client.describe() + " but failed because: registry reports digest " + reported
                    + ", expected " + digest);
        }
        return digest;
    }
}
