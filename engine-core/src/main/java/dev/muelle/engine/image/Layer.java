package dev.muelle.engine.image;

/**
 * One unpacked layer in the {@link LayerStore}: its directory is named by {@code chainId}, which
 * stands for the layer and every layer below it.
 *
 * @param chainId this layer and its ancestors (the store key)
 * @param diffId  sha256 of the layer's uncompressed tar (what image configs list in rootfs.diff_ids)
 * @param parent  the chain ID of the layer below, {@code null} for a base layer
 * @param size    bytes of file content in this layer alone
 * @param blob    the blob the layer was unpacked from, if the content store keeps it, else {@code null}
 */
public record Layer(Digest chainId, Digest diffId, Digest parent, long size, Digest blob) {
}
