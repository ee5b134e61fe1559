package dev.muelle.engine.api;

import dev.muelle.engine.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.errors.EngineException;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** One API call as a handler sees it: path parameters, query, headers and a body stream. */
public final class ApiRequest {

    private static final int MAX_JSON_BODY = 64 << 20;

    private final String method;
    private final String path;
    private final String apiVersion;
    private final Map<String, String> params;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final InputStream body;
    private final Channel channel;
    private final CompletionStage<Void> clientGone;

    ApiRequest(String method, String path, String apiVersion, Map<String, String> params,
               Map<String, List<String>> query, HttpHeaders headers, InputStream body, Channel channel,
               CompletionStage<Void> clientGone) {
        this.method = method;
        this.path = path;
        this.apiVersion = apiVersion;
        this.params = params;
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.channel = channel;
        this.clientGone = clientGone;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The API version the client asked for ("1.47" when it gave none). */
    public String apiVersion() {
        return apiVersion;
    }

    public boolean versionAtLeast(String v) {
        return compareVersions(apiVersion, v) >= 0;
    }

    public String param(String name) {
        return params.get(name);
    }

    public String query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> queryAll(String name) {
        return query.getOrDefault(name, List.of());
    }

    public String query(String name, String dflt) {
        String v = query(name);
        return v == null ? dflt : v;
    }

    /** Docker's boolean query values: 1/true/True/yes count as true; absent means the default. */
    public boolean queryBool(String name, boolean dflt) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        return switch (v.toLowerCase()) {
            case "", "0", "false", "no" -> false;
            default -> true;
        };
    }

    public long queryLong(String name, long dflt) {
        String v = query(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidParameter("invalid value for " + name + ": " + v);
        }
    }

    /**
     * A time parameter (logs and events since/until) in epoch nanoseconds: unix seconds with an
     * optional fraction, or RFC 3339; absent means {@code dflt}. The CLI turns durations into these.
     */
    public long queryTimeNanos(String name, long dflt) {
        String v = query(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            if (v.matches("\\d+(\\.\\d+)?")) {
                String[] p = v.split("\\.");
                long nanos = p.length > 1 ? Long.parseLong((p[1] + "000000000").substring(0, 9)) : 0;
                return Long.parseLong(p[0]) * 1_000_000_000L + nanos;
            }
            java.time.Instant i = java.time.Instant.parse(v);
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        } catch (RuntimeException e) {
            throw new EngineException.InvalidParameter("invalid value for " + name + ": " + v);
        }
    }

    public String header(String name) {
        return headers.get(name);
    }

    public InputStream body() {
        return body;
    }

    /** The JSON body as a tree; null when the body is empty. */
    public JsonNode bodyJson() throws IOException {
        byte[] bytes = body.readNBytes(MAX_JSON_BODY + 1);
        if (bytes.length > MAX_JSON_BODY) {
            throw new EngineException.InvalidParameter("request body too large");
        }
        if (bytes.length == 0 || new String(bytes).isBlank()) {
            return null;
        }
        String contentType = headers.get("Content-Type");
        if (contentType != null && !contentType.isEmpty()
                && !contentType.split(";")[0].trim().equalsIgnoreCase("application/json")) {
            throw new EngineException.InvalidParameter("Content-Type specified (" + contentType
                    + ") must be 'application/json'");
        }
        return Json.parse(bytes);
    }

    /**
     * The {@code filters} query parameter: Docker accepts {"k":["v"]} and the older
     * {"k":{"v":true}}; both become k → [v].
     */
    public Map<String, List<String>> filters() {
        String raw = query("filters");
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        JsonNode node;
        try {
            node = Json.parse(raw);
        } catch (IOException e) {
            throw new EngineException.InvalidParameter("invalid filter: " + raw);
        }
        if (!node.isObject()) {
            throw new EngineException.InvalidParameter("invalid filter: " + raw);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            List<String> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
            } else if (e.getValue().isObject()) {
                e.getValue().fieldNames().forEachRemaining(values::add);
            } else {
                values.add(e.getValue().asText());
            }
            out.put(e.getKey(), values);
        }
        return out;
    }

    /** False once the client has gone; long-running handlers (events, follow) check this. */
    public boolean clientConnected() {
        return channel.isActive();
    }

    /**
     * Completes when the client has gone (its side of the connection shut or the connection
     * closed), so work it asked for, a build, can stop even while nothing is written to it.
     * Only for requests whose client never half-closes while waiting for the answer (not attach).
     */
    public CompletionStage<Void> clientGone() {
        return clientGone;
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }
}
