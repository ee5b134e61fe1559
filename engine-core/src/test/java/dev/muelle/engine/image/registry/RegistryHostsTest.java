package dev.muelle.engine.image.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryHostsTest {

    @Test
    void loopbackAndConfiguredRegistriesAreInsecureOthersAreNot() {
        RegistryHosts hosts = new RegistryHosts(List.of("registry.lan:5000", "10.0.0.0/8"), List.of());
        assertThat(hosts.isInsecure("127.0.0.1:5000")).isTrue();
        assertThat(hosts.isInsecure("localhost:5000")).isTrue();
        assertThat(hosts.isInsecure("[::1]:5000")).isTrue();
        assertThat(hosts.isInsecure("registry.lan:5000")).isTrue();
        assertThat(hosts.isInsecure("10.1.2.3:5000")).isTrue();
        assertThat(hosts.isInsecure("11.1.2.3:5000")).isFalse();
        assertThat(hosts.endpoint("127.0.0.1:5000").bases()).extracting(URI::getScheme).containsExactly("https", "http");
        assertThat(hosts.endpoint("11.1.2.3").bases()).containsExactly(URI.create("https://11.1.2.3/v2/"));
        assertThat(hosts.endpoint("docker.io").bases()).containsExactly(URI.create("https://registry-1.docker.io/v2/"));
    }

    @Test
    void aCaFileForTheHostMeansVerifiedTlsOnlyEvenOnLoopback(@TempDir Path certs) throws IOException {
        Files.createDirectories(certs.resolve("127.0.0.1:5443"));
        Path ca = certs.resolve("127.0.0.1:5443/ca.crt");
        Files.writeString(ca, TestCertificate.PEM);
        RegistryEndpoint endpoint = new RegistryHosts(List.of(), List.of(certs)).endpoint("127.0.0.1:5443");
        assertThat(endpoint.insecure()).isFalse();
        assertThat(endpoint.bases()).containsExactly(URI.create("https://127.0.0.1:5443/v2/"));
    }
}
