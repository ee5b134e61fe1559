package dev.muelle.desktop.engine;

/**
 * An image name as the user types it, split the way Docker does: the tag is what follows the last
 * colon after the last slash ({@code localhost:5000/app} has no tag), a digest follows {@code @}.
 *
 * @param tag the tag, or the digest ({@code sha256:...}); "latest" when none was given
 */
public record ImageReference(String repository, String tag) {

    public static ImageReference parse(String reference) {
        String ref = reference.trim();
        int at = ref.indexOf('@');
        if (at >= 0) {
            return new ImageReference(ref.substring(0, at), ref.substring(at + 1));
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        if (colon > slash) {
            return new ImageReference(ref.substring(0, colon), ref.substring(colon + 1));
        }
        return new ImageReference(ref, "latest");
    }

    @Override
    public String toString() {
        return repository + (tag.startsWith("sha256:") ? "@" : ":") + tag;
    }
}
