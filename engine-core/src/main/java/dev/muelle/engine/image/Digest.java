package dev.muelle.engine.image;

import dev.muelle.engine.errors.EngineException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest in OCI form, {@code sha256:<64 lowercase hex>}. Blobs, image IDs
 * ({@code sha256} of the config bytes), diff IDs and chain IDs are all digests.
 *
 * <p>Invariant: only sha256 is accepted and {@code hex} is 64 lowercase hex digits, so a digest's
 * hex part is always safe to use as a file name.
 */
public record Digest(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new EngineException.InvalidParameter("invalid digest: sha256:" + hex);
        }
    }

    /** Parses {@code sha256:<hex>}; anything else is an {@code InvalidParameter}. */
    public static Digest parse(String s) {
        if (s == null || !s.startsWith("sha256:")) {
            throw new EngineException.InvalidParameter("unsupported digest algorithm: " + s);
        }
        return new Digest(s.substring("sha256:".length()));
    }

    public static Digest of(byte[] data) {
        return new Digest(HexFormat.of().formatHex(sha256().digest(data)));
    }

    public static Digest of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    static Digest of(MessageDigest finished) {
        return new Digest(HexFormat.of().formatHex(finished.digest()));
    }

    /** A fresh SHA-256 hasher (libcrypto's when present: see {@link NativeSha256}). */
    static MessageDigest sha256() {
        return NativeSha256.create();
    }

    /** The 12-hex-digit form Docker shows ({@code stringid.TruncateID}). */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
