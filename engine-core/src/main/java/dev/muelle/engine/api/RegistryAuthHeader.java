package dev.muelle.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.image.registry.RegistryAuth;
import dev.muelle.engine.json.Json;

import java.io.IOException;
import java.util.Base64;

/**
 * The {@code X-Registry-Auth} header: base64url of {@code {"username","password",
 * "serveraddress","identitytoken"}}. Like dockerd, a header that does not decode is taken as no
 * credentials rather than refused (old clients send {@code e30=}, an empty object, or padding).
 */
final class RegistryAuthHeader {

    private RegistryAuthHeader() {
    }

    static RegistryAuth parse(String header) {
        if (header == null || header.isBlank()) {
            return RegistryAuth.ANONYMOUS;
        }
        try {
            String b64 = header.trim().replace('+', '-').replace('/', '_');
            return fromJson(Json.parse(Base64.getUrlDecoder().decode(b64)));
        } catch (IOException | IllegalArgumentException e) {
            return RegistryAuth.ANONYMOUS;
        }
    }

    /** The {@code POST /auth} body and the decoded header share this shape. */
    static RegistryAuth fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            return RegistryAuth.ANONYMOUS;
        }
        return new RegistryAuth(text(n, "username"), text(n, "password"), text(n, "identitytoken"),
                text(n, "serveraddress"));
    }

    private static String text(JsonNode n, String field) {
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(field) && e.getValue().isTextual()) {
                return e.getValue().asText();
            }
        }
        return null;
    }
}
