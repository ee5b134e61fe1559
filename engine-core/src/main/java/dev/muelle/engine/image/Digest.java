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
        return new Digest(HexFormat.of().formatHex(sha256(data.length).digest(data)));
    }

    public static Digest of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    static Digest of(MessageDigest finished) {
        return new Digest(HexFormat.of().formatHex(finished.digest()));
    }

    /** A fresh SHA-256 hasher for an unknown amount of data: {@link #sha256(long)}. */
    static MessageDigest sha256() {
        return sha256(-1);
    }

    /**
     * A fresh SHA-256 hasher for about {@code expectedBytes} (-1: unknown). Bulk data, or data of
     * unknown size, is hashed by libcrypto when present ({@link NativeSha256}); less than
     * {@link #BULK_BYTES} by the JDK, which hashes that in tens of milliseconds even under C1,
     * so that an engine that only ever handled small images and configs never maps libcrypto
     * (1.6 MB of resident pages: bench/run's idle RSS).
     */
    static MessageDigest sha256(long expectedBytes) {
        return expectedBytes >= 0 && expectedBytes < BULK_BYTES ? jdkSha256() : NativeSha256.create();
    }

    /** See {@link #sha256(long)}. */
    static final long BULK_BYTES = 8L << 20;

    static MessageDigest jdkSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
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
