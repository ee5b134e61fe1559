package dev.muelle.desktop.images;

import dev.muelle.desktop.engine.ImageSummary;

import java.util.List;

/**
 * One row of the images table: a tag of an image (an image with two tags shows twice, as
 * {@code docker images} does), with the containers that use the image.
 *
 * @param reference "repository:tag", or the short ID for an untagged image
 * @param usedBy names of containers created from this image
 */
public record ImageItem(String reference, ImageSummary image, List<String> usedBy) {

    public String repository() {
        int colon = reference.lastIndexOf(':');
        return colon > reference.lastIndexOf('/') && colon > 0 ? reference.substring(0, colon) : reference;
    }

    public String tag() {
        int colon = reference.lastIndexOf(':');
        return colon > reference.lastIndexOf('/') && colon > 0 ? reference.substring(colon + 1) : "<none>";
    }

    public boolean tagged() {
        return !image.repoTags().isEmpty();
    }
}
