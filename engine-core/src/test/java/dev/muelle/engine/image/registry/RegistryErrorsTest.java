package dev.muelle.engine.image.registry;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Registry failures worded as dockerd (Go's errcode and net/http) words them. */
class RegistryErrorsTest {

    @Test
    void errorBodyBecomesCodeInWordsThenMessage() {
        RegistryException e = RegistryClient.errorFrom(404, """
                {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"nope"}}]}"""
                .getBytes(StandardCharsets.UTF_8), null);
        assertThat(e.getMessage()).isEqualTo("manifest unknown: manifest unknown");
        assertThat(e.notFound()).isTrue();
        assertThat(e.transientFailure()).isFalse();
    }

    @Test
    void unauthorizedWithoutBodyAndServerErrorsThatAreWorthRetrying() {
        RegistryException unauthorized = RegistryClient.errorFrom(401, new byte[0], null);
        assertThat(unauthorized.getMessage()).isEqualTo("unauthorized: authentication required");
        assertThat(unauthorized.unauthorized()).isTrue();
        RegistryException busy = RegistryClient.errorFrom(503, "<html>".getBytes(StandardCharsets.UTF_8), null);
        assertThat(busy.getMessage()).isEqualTo("received unexpected HTTP status: 503 Service Unavailable");
        assertThat(busy.transientFailure()).isTrue();
    }

    @Test
    void bearerChallengeErrorsComeFirstAndTokenServersDetailsAreKept() {
        RegistryException denied = RegistryClient.errorFrom(401,
                "Bearer realm=\"http://t/token\",service=\"s\",scope=\"repository:app:pull\",error=\"insufficient_scope\"",
                "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(StandardCharsets.UTF_8));
        assertThat(denied.getMessage()).isEqualTo("denied: requested access to the resource is denied");
        assertThat(denied.codes()).containsExactly("DENIED", "UNAUTHORIZED");
        assertThat(RegistryClient.errorFrom(401, "{\"details\":\"incorrect username or password\"}"
                .getBytes(StandardCharsets.UTF_8), null).getMessage()).isEqualTo("unauthorized: incorrect username or password");
    }

    @Test
    void refusedConnectionReadsLikeGo() {
        RegistryException e = RegistryClient.transportError("GET", URI.create("http://127.0.0.1:5909/v2/"),
                new ConnectException());
        assertThat(e.getMessage()).isEqualTo("Get \"http://127.0.0.1:5909/v2/\": dial tcp 127.0.0.1:5909: connect: connection refused");
        assertThat(e.unreachable()).isTrue();
        assertThat(RegistryClient.transportError("HEAD", URI.create("https://h/v2/x"), new IOException("reset")).getMessage())
                .isEqualTo("Head \"https://h/v2/x\": reset");
    }
}
