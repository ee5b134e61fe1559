package dev.muelle.desktop.engine;

/**
 * One progress message of a pull or push, as the engine streams it.
 *
 * @param layer the layer (short digest) the message is about, or null for a message about the whole image
 * @param status "Pulling fs layer", "Downloading", "Pull complete", "Digest: ...", ...
 * @param current bytes done so far, 0 when unknown
 * @param total bytes in all, 0 when unknown
 */
public record PullProgress(String layer, String status, long current, long total) {

    /** Fraction done in [0, 1], or -1 when the engine gave no byte counts. */
    public double fraction() {
        if (total <= 0) {
            return -1;
        }
        return Math.min(1.0, (double) current / total);
    }
}
