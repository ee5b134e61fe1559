package dev.muelle.engine.image.registry;

import dev.muelle.engine.image.Digest;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

/**
 * Cross-repository blob mount: {@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<repo>}
 * asks the registry to link a blob it already holds for another repository, so nothing is
 * uploaded ("Mounted from app"). A registry that declines answers 202 with an upload started.
 */
public final class BlobMounter {

    /** {@code mounted}, or else the location of the upload the registry started instead. */
    public record Result(boolean mounted, String uploadLocation) {
    }

    private final RegistryClient client;

    public BlobMounter(RegistryClient client) {
        this.client = client;
    }

    public Result mount(Digest digest, String fromRepository) {
        client.addScope("repository:" + fromRepository + ":pull");
        HttpResponse<InputStream> r = client.send(new RegistryClient.Call("POST",
                client.repository() + "/blobs/uploads/?mount=" + digest + "&from=" + fromRepository,
                Map.of(), null, Set.of(201, 202)));
        RegistryClient.drain(r);
        return r.statusCode() == 201 ? new Result(true, null) : new Result(false, BlobPusher.location(r));
    }
}
