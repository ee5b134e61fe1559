package dev.muelle.engine.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Chain IDs name a layer together with everything below it, so one unpacked directory can be
 * shared by every image whose stack starts the same way (OCI image spec, "ChainID"):
 * {@code chainID(L0) = diffID(L0)}, {@code chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln))}.
 */
public final class ChainId {

    private ChainId() {
    }

    /** The chain ID of {@code diffId} stacked on {@code parent} ({@code null} for a base layer). */
    public static Digest next(Digest parent, Digest diffId) {
        return parent == null ? diffId : Digest.of(parent + " " + diffId);
    }

    /** The chain IDs of a whole stack, bottom layer first, same length as {@code diffIds}. */
    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest parent = null;
        for (Digest diffId : diffIds) {
            parent = next(parent, diffId);
            chain.add(parent);
        }
        return List.copyOf(chain);
    }
}
