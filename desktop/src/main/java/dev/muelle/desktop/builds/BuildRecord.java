package dev.muelle.desktop.builds;

import java.time.Instant;
import java.util.List;

/**
 * One finished build, as the history keeps it.
 *
 * @param finishedAt when the build ended (epoch milliseconds, so the JSON file stays plain)
 * @param folder the build context folder
 * @param tags the tags asked for, maybe none
 * @param result whether the engine built the image, or the user cancelled the build
 * @param imageId the image built, empty when the build failed
 * @param error what the engine said when it failed, else empty
 * @param cachedSteps steps taken from the build cache
 * @param builtSteps steps that ran
 */
public record BuildRecord(long finishedAt, String folder, List<String> tags, Result result, String imageId,
                          String error, int cachedSteps, int builtSteps) {

    public enum Result { SUCCEEDED, FAILED, CANCELLED }

    public BuildRecord {
        tags = List.copyOf(tags);
        imageId = imageId == null ? "" : imageId;
        error = error == null ? "" : error;
    }

    public Instant when() {
        return Instant.ofEpochMilli(finishedAt);
    }

    static BuildRecord of(Instant when, String folder, List<String> tags, Result result, String imageId, String error,
                          List<BuildStep> steps) {
        int cached = (int) steps.stream().filter(s -> s.status() == BuildStep.Status.CACHED).count();
        int built = (int) steps.stream().filter(s -> s.status() == BuildStep.Status.BUILT).count();
        return new BuildRecord(when.toEpochMilli(), folder, tags, result, imageId, error, cached, built);
    }
}
