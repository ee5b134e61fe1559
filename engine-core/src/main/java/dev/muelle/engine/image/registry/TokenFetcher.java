package dev.muelle.engine.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bearer-token flow of the distribution spec ("token authentication"): asks the challenge's
 * realm for a token covering {@code scopes} (e.g. {@code repository:app:pull,push}), with the
 * password as HTTP basic auth, or with an identity token as an OAuth2 refresh-token grant, or
 * anonymously.
 */
final class TokenFetcher {

    private static final String CLIENT_ID = "muelle";

    private final HttpClient http;

    TokenFetcher(HttpClient http) {
        this.http = http;
    }

    /** Returns the token; a refused grant is a {@link RegistryException} with the realm's answer. */
    String fetch(AuthChallenge challenge, List<String> scopes, RegistryAuth auth) throws IOException, InterruptedException {
        String realm = challenge.param("realm");
        if (realm == null || realm.isEmpty()) {
            throw new RegistryException(401, List.of("UNAUTHORIZED"), "bearer auth challenge without realm");
        }
        String service = challenge.param("service");
        HttpRequest request;
        if (auth.hasIdentityToken()) {
            List<String> form = new ArrayList<>();
            form.add("grant_type=refresh_token");
            form.add("refresh_token=" + enc(auth.identityToken()));
            form.add("client_id=" + CLIENT_ID);
            if (service != null) {
                form.add("service=" + enc(service));
            }
            form.add("scope=" + enc(String.join(" ", scopes)));
            request = HttpRequest.newBuilder(URI.create(realm)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(String.join("&", form))).build();
        } else {
            StringBuilder uri = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
            List<String> query = new ArrayList<>();
            if (service != null) {
                query.add("service=" + enc(service));
            }
            scopes.forEach(s -> query.add("scope=" + enc(s)));
            if (auth.hasPassword()) {
                query.add("account=" + enc(auth.username()));
            }
            uri.append(String.join("&", query));
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(Duration.ofSeconds(30)).GET();
            if (auth.hasPassword()) {
                b.header("Authorization", RegistryClient.basic(auth));
            }
            request = b.build();
        }
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw RegistryClient.errorFrom(response.statusCode(), response.body(), null);
        }
        JsonNode body = Json.parse(response.body());
        String token = body.path("token").asText(body.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new RegistryException(401, List.of("UNAUTHORIZED"), "token server " + realm + " sent no token");
        }
        return token;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
