package dev.muelle.engine.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.image.Digest;
import dev.muelle.engine.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v2/<name>/manifests/<tag|digest>}, accepting Docker schema 2 and OCI manifests and
 * indexes. The manifest's digest is computed from the bytes received; when pulled by digest the
 * bytes must hash to it. Schema 1 manifests are refused, as current dockerd does.
 */
public final class ManifestPuller {

    private static final int MAX_MANIFEST_BYTES = 4 << 20;
    private static final String ACCEPT = String.join(", ", MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_LIST,
            MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX);

    /** A manifest or index as received: its exact bytes (what its digest covers) and parsed form. */
    public record Manifest(byte[] bytes, String mediaType, Digest digest, JsonNode json) {

        public boolean isIndex() {
            return MediaTypes.INDEXES.contains(mediaType);
        }
    }

    private final RegistryClient client;

    public ManifestPuller(RegistryClient client) {
        this.client = client;
    }

    /** Fetches {@code reference} (a tag or {@code sha256:…}). */
    public Manifest pull(String reference) {
        HttpResponse<InputStream> r = client.send(new RegistryClient.Call("GET",
                client.repository() + "/manifests/" + reference, Map.of("Accept", ACCEPT), null, Set.of(200)));
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw RegistryClient.transportError("GET", r.uri(), e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw failure(reference, "manifest larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        Digest digest = Digest.of(bytes);
        if (reference.startsWith("sha256:") && !reference.equals(digest.toString())) {
            throw failure(reference, "digest mismatch (got " + digest + ")");
        }
        JsonNode json;
        try {
            json = Json.parse(bytes);
        } catch (IOException e) {
            throw failure(reference, "invalid JSON: " + e.getMessage());
        }
        String mediaType = json.path("mediaType").asText("");
        if (mediaType.isEmpty()) {
            String header = r.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
            mediaType = json.has("manifests") ? (header.equals(MediaTypes.DOCKER_LIST) ? header : MediaTypes.OCI_INDEX)
                    : header.equals(MediaTypes.DOCKER_MANIFEST) ? header : MediaTypes.OCI_MANIFEST;
        }
        if (json.path("schemaVersion").asInt() != 2 || !(MediaTypes.INDEXES.contains(mediaType)
                || MediaTypes.MANIFESTS.contains(mediaType))) {
            throw failure(reference, "unsupported manifest format " + mediaType
                    + " (schema " + json.path("schemaVersion").asText() + ")");
        }
        return new Manifest(bytes, mediaType, digest, json);
    }

    /**
     * The digest of the entry of an index for {@code platform}; dockerd's message when none fits.
     */
    public static Digest select(Manifest index, Platform platform) {
        for (JsonNode m : index.json().path("manifests")) {
            JsonNode p = m.path("platform");
            if (platform.matches(p.path("os").asText(""), p.path("architecture").asText(""),
                    p.path("variant").asText(null))) {
                return Digest.parse(m.path("digest").asText());
            }
        }
        throw new RegistryException(404, List.of("MANIFEST_UNKNOWN"),
                "no matching manifest for " + platform + " in the manifest list entries");
    }

    private RegistryException failure(String reference, String why) {
        return new RegistryException(400, List.of("MANIFEST_INVALID"), "Tried to pull manifest " + reference
                + " from " + client.describe() + " but failed because: " + why);
    }
}
