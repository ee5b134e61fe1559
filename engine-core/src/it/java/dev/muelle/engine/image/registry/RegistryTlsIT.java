package dev.muelle.engine.image.registry;

import dev.muelle.engine.it.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS decisions against a real registry over HTTPS: with the registry's CA in
 * {@code <certs.d>/<host:port>/ca.crt} the certificate is verified (and a wrong CA is refused,
 * even on loopback); without one, a loopback registry is insecure and reached without
 * verification, as dockerd does.
 */
class RegistryTlsIT {

    private static LocalRegistry registry;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.secured("carol", "pw-carol");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theRegistrysCaFromCertsDirIsTrustedAndCredentialsWork(@TempDir Path certs) throws IOException {
        Files.createDirectories(certs.resolve(registry.host()));
        Files.copy(registry.caCertificate(), certs.resolve(registry.host()).resolve("ca.crt"));
        RegistryEndpoint endpoint = new RegistryHosts(List.of(), List.of(certs)).endpoint(registry.host());
        assertThat(endpoint.insecure()).isFalse();

        new RegistryClient(endpoint, "", new RegistryAuth("carol", "pw-carol", null, registry.host()), "").checkLogin();
        assertThatThrownBy(() -> new RegistryClient(endpoint, "", new RegistryAuth("carol", "nope", null, null), "").checkLogin())
                .isInstanceOf(RegistryException.class)
                .hasMessage("login attempt to https://" + registry.host() + "/v2/ failed with status: 401 Unauthorized");
    }

    @Test
    void aCertificateFromAnotherCaIsRefused(@TempDir Path certs) throws IOException {
        Files.createDirectories(certs.resolve(registry.host()));
        try (LocalRegistry other = LocalRegistry.secured("x", "y")) { // same subject, its own CA
            Files.copy(other.caCertificate(), certs.resolve(registry.host()).resolve("ca.crt"));
        }
        RegistryEndpoint endpoint = new RegistryHosts(List.of(), List.of(certs)).endpoint(registry.host());
        assertThatThrownBy(() -> new RegistryClient(endpoint, "app", RegistryAuth.ANONYMOUS, "pull").ping())
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith("Get \"https://" + registry.host() + "/v2/\": tls: ");
    }

    @Test
    void withoutACaALoopbackRegistryIsReachedUnverified(@TempDir Path emptyCerts) {
        RegistryEndpoint endpoint = new RegistryHosts(List.of(), List.of(emptyCerts)).endpoint(registry.host());
        assertThat(endpoint.insecure()).isTrue();
        assertThat(new RegistryClient(endpoint, "app", RegistryAuth.ANONYMOUS, "pull").ping().toString())
                .isEqualTo("https://" + registry.host() + "/v2/");
    }
}
