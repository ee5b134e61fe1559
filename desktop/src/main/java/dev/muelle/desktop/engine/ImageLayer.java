package dev.muelle.desktop.engine;

/**
 * One entry of {@code GET /images/{name}/history}, newest first: the instruction that made a layer.
 *
 * @param id the image ID of this step, or "&lt;missing&gt;" for steps built elsewhere
 * @param size the bytes this step added (0 for metadata-only steps)
 */
public record ImageLayer(String id, long createdEpochSeconds, String createdBy, long size, String comment) {
}
