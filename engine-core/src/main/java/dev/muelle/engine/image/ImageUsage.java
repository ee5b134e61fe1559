package dev.muelle.engine.image;

import java.util.List;

/**
 * What the image service needs to know about containers, supplied by the container service so
 * the image package does not depend on it. Used only to refuse removing images in use.
 */
public interface ImageUsage {

    /** IDs of all containers (running or not) created from {@code imageId} ({@code sha256:…}). */
    List<String> containersUsing(String imageId);

    /** The running subset: these make a removal conflict that even force cannot override. */
    default List<String> runningContainersUsing(String imageId) {
        return List.of();
    }

    ImageUsage NONE = imageId -> List.of();
}
