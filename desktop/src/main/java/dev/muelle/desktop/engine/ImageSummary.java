package dev.muelle.desktop.engine;

import java.util.List;

/**
 * One row of {@code GET /images/json}.
 *
 * @param repoTags "repository:tag" names; empty for a dangling image
 * @param containers how many containers use the image, or -1 when the engine does not say
 */
public record ImageSummary(String id, List<String> repoTags, long size, long createdEpochSeconds, int containers) {

    public ImageSummary {
        repoTags = List.copyOf(repoTags);
    }

    /** The name to show and to run: the first tag, or the short ID of an untagged image. */
    public String displayName() {
        return repoTags.isEmpty() || repoTags.get(0).equals("<none>:<none>") ? shortId() : repoTags.get(0);
    }

    public String shortId() {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
