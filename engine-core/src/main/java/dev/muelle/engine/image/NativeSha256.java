package dev.muelle.engine.image;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;

/**
 * SHA-256 from the system's libcrypto (OpenSSL), for the bulk hashing of pulls, loads and
 * layer unpacking. Why: the engine's JVM runs with the C1 compiler only (small idle footprint,
 * {@code engine-core/bin/muelled}), and C1 does not use the JDK's SHA-256 intrinsic, so
 * {@code MessageDigest} hashes at ~45 MB/s there against ~1 GB/s for OpenSSL; a 200 MB pull
 * hashes 300 MB (blobs as delivered, then diff IDs).
 *
 * <p>Small updates are gathered in a Java buffer so each native call carries up to 64 KiB.
 * {@link #create} falls back to the JDK's implementation when libcrypto cannot be loaded.
 */
final class NativeSha256 extends MessageDigest {

    private static final Logger log = LoggerFactory.getLogger(NativeSha256.class);
    private static final int CHUNK = 64 * 1024;
    private static final int CTX_BYTES = 128; // sizeof(SHA256_CTX) is 112
    private static final boolean AVAILABLE = load();

    private final Memory ctx = new Memory(CTX_BYTES);
    private final byte[] pending = new byte[CHUNK];
    private int used;

    private NativeSha256() {
        super("SHA-256");
        engineReset();
    }

    /** A fresh SHA-256: native when libcrypto is there, else the JDK's. */
    static MessageDigest create() {
        return AVAILABLE ? new NativeSha256() : Digest.jdkSha256();
    }

    private static boolean load() {
        try {
            Native.register(NativeSha256.class, NativeLibrary.getInstance("crypto"));
            NativeSha256 probe = new NativeSha256();
            probe.update("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            boolean ok = java.util.HexFormat.of().formatHex(probe.digest())
                    .equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            if (!ok) {
                log.warn("libcrypto's SHA-256 gave a wrong digest; using the JDK's");
            }
            return ok;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.info("libcrypto not usable ({}); hashing with the JDK's SHA-256", e.getMessage());
            return false;
        }
    }

    private static native int SHA256_Init(Pointer c);

    private static native int SHA256_Update(Pointer c, byte[] data, NativeLong len);

    private static native int SHA256_Final(byte[] md, Pointer c);

    @Override
    protected void engineUpdate(byte input) {
        if (used == CHUNK) {
            flush();
        }
        pending[used++] = input;
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        while (len > 0) {
            if (used == CHUNK) {
                flush();
            }
            int n = Math.min(len, CHUNK - used);
            System.arraycopy(input, offset, pending, used, n);
            used += n;
            offset += n;
            len -= n;
        }
    }

    private void flush() {
        if (used > 0) {
            SHA256_Update(ctx, pending, new NativeLong(used));
            used = 0;
        }
    }

    @Override
    protected byte[] engineDigest() {
        flush();
        byte[] out = new byte[32];
        SHA256_Final(out, ctx);
        engineReset();
        return out;
    }

    @Override
    protected void engineReset() {
        used = 0;
        SHA256_Init(ctx);
    }

    @Override
    protected int engineGetDigestLength() {
        return 32;
    }
}
