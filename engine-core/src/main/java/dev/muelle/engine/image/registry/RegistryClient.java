package dev.muelle.engine.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One session with one repository of a registry, over {@code java.net.http}: finds the working
 * base URL ({@link #ping}), answers auth challenges (basic, or bearer tokens scoped to the
 * repository and the actions asked for), retries transient failures and turns error responses
 * into {@link RegistryException}s in dockerd's words. The operation classes ({@link
 * ManifestPuller}, {@link BlobPuller}, {@link BlobPusher}, {@link BlobMounter}, {@link
 * ManifestPusher}) each build their request and read their response through it.
 *
 * <p>Thread-safe: a pull's parallel blob downloads share one session and its token.
 */
public final class RegistryClient {

    private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);
    private static final int ATTEMPTS = 3;
    private static final int MAX_REDIRECTS = 5;
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30);

    /** A request to send: method, URL (relative to {@code /v2/} or absolute), headers, body. */
    record Call(String method, String target, Map<String, String> headers, Supplier<HttpRequest.BodyPublisher> body,
                Set<Integer> accepted) {
    }

    private final RegistryEndpoint endpoint;
    private final String repository;
    private final RegistryAuth auth;
    private final Set<String> scopes = new LinkedHashSet<>();
    private final TokenFetcher tokens;
    private volatile URI base;
    private volatile String authorization;

    /**
     * @param repository the repository path ({@code library/busybox}, {@code app})
     * @param actions    what the token must allow: {@code pull}, or {@code pull,push}
     */
    public RegistryClient(RegistryEndpoint endpoint, String repository, RegistryAuth auth, String actions) {
        this.endpoint = endpoint;
        this.repository = repository;
        this.auth = auth == null ? RegistryAuth.ANONYMOUS : auth;
        if (!repository.isEmpty()) {
            this.scopes.add("repository:" + repository + ":" + actions);
        }
        this.tokens = new TokenFetcher(endpoint.http());
    }

    /** {@code 127.0.0.1:5000/app}: how errors name what was tried. */
    public String describe() {
        return endpoint.host() + "/" + repository;
    }

    public String repository() {
        return repository;
    }

    /** Also asks for {@code scope} from now on (a cross-repository mount needs pull on the source). */
    synchronized void addScope(String scope) {
        if (scopes.add(scope) && authorization != null && authorization.startsWith("Bearer ")) {
            authorization = null; // the next 401 fetches a token covering the new scope too
        }
    }

    /**
     * {@code GET /v2/} on each candidate base URL until one answers (any status: a 401 only says
     * how to authenticate). Fails like dockerd: {@code Get "http://h/v2/": dial tcp h: connect:
     * connection refused}, naming the last URL tried.
     */
    public URI ping() {
        if (base != null) {
            return base;
        }
        RegistryException last = null;
        for (URI candidate : endpoint.bases()) {
            try {
                HttpResponse<InputStream> r = endpoint.http().send(HttpRequest.newBuilder(candidate)
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                r.body().close();
                base = candidate;
                return candidate;
            } catch (IOException e) {
                last = transportError("GET", candidate, e);
                log.debug("registry {} not reachable at {}: {}", endpoint.host(), candidate, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(0, List.of(), "interrupted", e);
            }
        }
        throw last;
    }

    /**
     * Checks the credentials the way {@code docker login} does: an authenticated
     * {@code GET /v2/}. Fails with dockerd's {@code login attempt to https://h/v2/ failed with
     * status: 401 Unauthorized}.
     */
    public void checkLogin() {
        URI v2 = ping();
        try {
            drain(send(new Call("GET", "", Map.of(), null, Set.of(200))));
        } catch (RegistryException e) {
            // The registry itself refused (basic auth); a token server's refusal keeps its own words.
            if (e.status() == 401 && e.getMessage().startsWith("unauthorized: ")) {
                throw new RegistryException(401, e.codes(), "login attempt to " + v2 + " failed with status: 401 Unauthorized");
            }
            throw e;
        }
    }

    /** The absolute URL for a path under {@code /v2/} or a Location header. */
    URI resolve(String target) {
        return ping().resolve(target);
    }

    /**
     * Sends a call, authenticating on a 401 and retrying transient failures. Returns the response
     * when its status is accepted (the caller reads and closes the body); any other status is a
     * {@link RegistryException} from the registry's error body.
     */
    HttpResponse<InputStream> send(Call call) {
        URI uri = resolve(call.target());
        RegistryException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return sendAuthenticated(call, uri);
            } catch (RegistryException e) {
                if (!e.transientFailure() || attempt == ATTEMPTS) {
                    throw e;
                }
                failure = e;
                log.info("{} {} failed ({}); trying again", call.method(), uri, e.getMessage());
                sleep(250L << (2 * (attempt - 1)));
            }
        }
        throw failure;
    }

    private HttpResponse<InputStream> sendAuthenticated(Call call, URI uri) {
        String used = authorization;
        HttpResponse<InputStream> r = exchange(call, uri, used);
        if (r.statusCode() == 401) {
            byte[] body = drain(r);
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse(null);
            if (authenticate(call.method(), uri, challenge, used)) {
                r = exchange(call, uri, authorization);
            } else {
                throw errorFrom(401, challenge, body);
            }
        }
        if (call.accepted().contains(r.statusCode())) {
            return r;
        }
        throw errorFrom(r.statusCode(), r.headers().firstValue("WWW-Authenticate").orElse(null), drain(r));
    }

    /** Follows redirects by hand, sending credentials only to the registry's own host. */
    private HttpResponse<InputStream> exchange(Call call, URI uri, String authz) {
        URI target = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(REQUEST_TIMEOUT);
            call.headers().forEach(b::header);
            if (authz != null && sameHost(target, uri)) {
                b.header("Authorization", authz);
            }
            HttpRequest.BodyPublisher body = call.body() == null ? HttpRequest.BodyPublishers.noBody() : call.body().get();
            b.method(call.method(), body);
            HttpResponse<InputStream> r;
            try {
                r = endpoint.http().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw transportError(call.method(), target, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(0, List.of(), "interrupted", e);
            }
            int s = r.statusCode();
            boolean redirect = (s == 301 || s == 302 || s == 303 || s == 307 || s == 308)
                    && r.headers().firstValue("Location").isPresent() && !call.accepted().contains(s);
            if (!redirect || hop >= MAX_REDIRECTS) {
                return r;
            }
            drain(r);
            target = target.resolve(r.headers().firstValue("Location").get());
        }
    }

    private synchronized boolean authenticate(String method, URI uri, String header, String used) {
        if (authorization != null && !authorization.equals(used)) {
            return true; // another thread authenticated meanwhile
        }
        AuthChallenge challenge = AuthChallenge.parse(header).orElse(null);
        if (challenge == null) {
            return false;
        }
        if (challenge.isBasic()) {
            if (!auth.hasPassword()) {
                throw new RegistryException(401, List.of("UNAUTHORIZED"),
                        goMethod(method) + " \"" + uri + "\": no basic auth credentials");
            }
            if (basic(auth).equals(used)) {
                return false; // the password was refused
            }
            authorization = basic(auth);
            return true;
        }
        if (challenge.isBearer()) {
            if (used != null && used.startsWith("Bearer ")) {
                return false; // a fresh token was refused: the credentials do not allow it
            }
            List<String> wanted = new ArrayList<>(scopes);
            String challenged = challenge.param("scope");
            if (challenged != null && !wanted.contains(challenged)) {
                wanted.add(challenged);
            }
            try {
                authorization = "Bearer " + tokens.fetch(challenge, wanted, auth);
            } catch (RegistryException e) {
                // as Go reports a failure inside its auth round tripper: on the request it was for
                throw new RegistryException(e.status(), e.codes(), goMethod(method) + " \"" + uri + "\": " + e.getMessage(), e);
            } catch (IOException e) {
                throw transportError("GET", URI.create(challenge.param("realm")), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(0, List.of(), "interrupted", e);
            }
            return true;
        }
        return false;
    }

    static String basic(RegistryAuth auth) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (auth.username() + ":" + auth.password()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An error response as docker/distribution's client reads it: an OAuth error in the bearer
     * challenge first ({@code insufficient_scope} is {@code denied: requested access to the
     * resource is denied}), then the body's errors, worded as Go's errcode prints them:
     * {@code manifest unknown: manifest unknown} (the code in words, then the message). Like
     * dockerd, the first error is the one reported.
     */
    static RegistryException errorFrom(int status, String wwwAuthenticate, byte[] body) {
        List<String> codes = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        AuthChallenge challenge = AuthChallenge.parse(wwwAuthenticate).orElse(null);
        if (status >= 400 && status < 500 && challenge != null && challenge.isBearer() && challenge.param("error") != null) {
            String code = switch (challenge.param("error")) {
                case "invalid_token" -> "UNAUTHORIZED";
                case "insufficient_scope" -> "DENIED";
                default -> null;
            };
            if (code != null) {
                String description = challenge.param("error_description");
                codes.add(code);
                parts.add(words(code) + ": " + (description != null && !description.isEmpty() ? description
                        : code.equals("DENIED") ? "requested access to the resource is denied" : "authentication required"));
            }
        }
        RegistryException fromBody = errorFrom(status, body, null);
        codes.addAll(fromBody.codes());
        parts.add(fromBody.getMessage());
        return new RegistryException(status, codes, parts.get(0));
    }

    /** The body's errors alone (token servers answer with these too, or with {"details": …}). */
    static RegistryException errorFrom(int status, byte[] body, String context) {
        List<String> codes = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        try {
            JsonNode json = body == null || body.length == 0 ? null : Json.parse(body);
            String details = json == null ? "" : json.path("details").asText("");
            if (!details.isEmpty()) {
                String code = status == 401 ? "UNAUTHORIZED" : status == 429 ? "TOOMANYREQUESTS" : "UNKNOWN";
                codes.add(code);
                parts.add(words(code) + ": " + details);
            }
            JsonNode errors = json == null ? null : json.path("errors");
            if (errors != null && parts.isEmpty()) {
                for (JsonNode e : errors) {
                    String code = e.path("code").asText("UNKNOWN");
                    codes.add(code);
                    String message = e.path("message").asText("");
                    parts.add(message.isEmpty() ? words(code) : words(code) + ": " + message);
                }
            }
        } catch (IOException notJson) {
            // fall through to the status
        }
        String message;
        if (!parts.isEmpty()) {
            message = parts.get(0);
        } else if (status == 401) {
            codes.add("UNAUTHORIZED");
            message = "unauthorized: authentication required";
        } else if (status == 404) {
            message = "not found";
        } else {
            message = "received unexpected HTTP status: " + status + " " + reason(status);
        }
        return new RegistryException(status, codes, context == null ? message : context + ": " + message);
    }

    /** Go's errcode.ErrorCode.Error(): {@code MANIFEST_UNKNOWN} → {@code manifest unknown}. */
    private static String words(String code) {
        return code.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** A failure below HTTP, worded as Go's net/http would: {@code Get "url": dial tcp …}. */
    static RegistryException transportError(String method, URI uri, IOException e) {
        int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        String hostPort = uri.getHost() + ":" + port;
        String why;
        if (e instanceof ConnectException && !(e instanceof HttpConnectTimeoutException)) {
            why = "dial tcp " + hostPort + ": connect: connection refused";
        } else if (e instanceof HttpTimeoutException) {
            why = "dial tcp " + hostPort + ": i/o timeout";
        } else if (e instanceof SSLHandshakeException || e instanceof SSLException) {
            String m = String.valueOf(e.getMessage());
            why = m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext")
                    ? "http: server gave HTTP response to HTTPS client"
                    : "tls: " + m;
        } else if (e instanceof InterruptedIOException) {
            why = "i/o timeout";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new RegistryException(0, List.of(), goMethod(method) + " \"" + uri + "\": " + why, e);
    }

    static String goMethod(String method) {
        return method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
    }

    private static boolean sameHost(URI a, URI b) {
        return a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort();
    }

    static byte[] drain(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return in.readNBytes(1 << 20);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 405 -> "Method Not Allowed";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(0, List.of(), "interrupted", e);
        }
    }
}
