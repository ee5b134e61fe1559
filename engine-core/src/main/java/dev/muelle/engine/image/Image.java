package dev.muelle.engine.image;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * What the container service needs from an image to create a container: the image's run
 * defaults (from its config) and its layer stack. Lists are empty, never null; strings are
 * empty when unset.
 *
 * @param id          {@code sha256:<hex>} of the config blob
 * @param layers      chain IDs, bottom layer first (what the {@link Snapshotter} mounts)
 * @param healthcheck the config's Healthcheck object, or {@code null}
 */
public record Image(String id, List<String> repoTags, List<String> env, List<String> cmd, List<String> entrypoint,
                    String workingDir, String user, List<String> exposedPorts, List<String> volumes,
                    Map<String, String> labels, String stopSignal, JsonNode healthcheck, List<Digest> layers) {
}
