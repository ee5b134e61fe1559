package dev.muelle.engine.container;

import dev.muelle.engine.errors.EngineException;

import java.io.ByteArrayOutputStream;

/**
 * The key sequence that detaches a client from a container without stopping it, Docker's
 * {@code ctrl-p,ctrl-q} by default. Format: comma-separated {@code ctrl-<c>} or single characters.
 */
final class DetachKeys {

    static final byte[] DEFAULT = {16, 17};

    private DetachKeys() {
    }

    static byte[] parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            return DEFAULT;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String key : spec.split(",")) {
            String k = key.trim().toLowerCase();
            if (k.length() == 1) {
                out.write(k.charAt(0));
            } else if (k.startsWith("ctrl-") && k.length() == 6) {
                char ch = k.charAt(5);
                if (ch >= 'a' && ch <= 'z') {
                    out.write(ch - 'a' + 1);
                } else if (ch == '@') {
                    out.write(0);
                } else if (ch >= '[' && ch <= '_') {
                    out.write(ch - '[' + 27);
                } else {
                    throw invalid(key);
                }
            } else {
                throw invalid(key);
            }
        }
        return out.toByteArray();
    }

    private static EngineException invalid(String key) {
        return new EngineException.InvalidParameter("Invalid detach keys (" + key + ") provided");
    }
}
