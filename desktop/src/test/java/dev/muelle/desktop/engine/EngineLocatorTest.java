package dev.muelle.desktop.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EngineLocatorTest {

    @TempDir
    Path home;

    @Test
    void triesStrategiesInRankAndStopsAtTheFirstThatAnswers() {
        List<String> tried = new ArrayList<>();
        var strategies = EngineStrategies.standard("unix:///configured.sock",
                Map.of("DOCKER_HOST", "unix:///env.sock"), home);
        var outcome = new EngineLocator(strategies, e -> {
            tried.add(e);
            return e.equals(EngineStrategies.MUELLE_SOCKET);
        }).locate();
        assertThat(tried).containsExactly("unix:///configured.sock", "unix:///env.sock", EngineStrategies.MUELLE_SOCKET);
        assertThat(outcome.found()).isTrue();
        assertThat(outcome.strategy()).isEqualTo("Muelle's socket");
    }

    @Test
    void theSameEndpointIsTriedOnce() {
        List<String> tried = new ArrayList<>();
        var strategies = EngineStrategies.standard("", Map.of("DOCKER_HOST", EngineStrategies.MUELLE_SOCKET), home);
        new EngineLocator(strategies, e -> {
            tried.add(e);
            return false;
        }).locate();
        assertThat(tried).containsExactly(EngineStrategies.MUELLE_SOCKET, "unix:///var/run/docker.sock");
    }

    @Test
    void muelleHostMovesMuellesSocket() {
        var s = EngineStrategies.muelleSocket(Map.of("MUELLE_HOST", "unix:///tmp/m.sock"));
        assertThat(s.candidate()).contains("unix:///tmp/m.sock");
    }

    @Test
    void theCurrentDockerContextIsReadFromTheCliConfig() throws Exception {
        Path docker = home.resolve(".docker");
        Files.createDirectories(docker);
        Files.writeString(docker.resolve("config.json"), "{\"currentContext\":\"muelle\"}");
        Path meta = docker.resolve("contexts/meta").resolve(sha256("muelle"));
        Files.createDirectories(meta);
        Files.writeString(meta.resolve("meta.json"),
                "{\"Name\":\"muelle\",\"Endpoints\":{\"docker\":{\"Host\":\"unix:///run/muelle/other.sock\"}}}");
        assertThat(EngineStrategies.dockerContext(Map.of(), home).candidate()).contains("unix:///run/muelle/other.sock");
        assertThat(EngineStrategies.dockerContext(Map.of("DOCKER_CONTEXT", "default"), home).candidate())
                .contains("unix:///var/run/docker.sock");
    }

    @Test
    void explanationNamesEveryAttemptAndItsFix() {
        var outcome = new EngineLocator(EngineStrategies.standard("", Map.of(), home), Set.<String>of()::contains).locate();
        assertThat(outcome.found()).isFalse();
        assertThat(outcome.explanation()).startsWith("No engine answered. Tried:")
                .contains("Muelle's socket", "Press Start engine", "docker context");
        assertThat(outcome.preferredEndpoint()).isEqualTo(EngineStrategies.MUELLE_SOCKET);
    }

    @Test
    void socketPingSaysNoForAMissingSocketAndYesForAServerThatSaysOk() throws IOException, InterruptedException {
        assertThat(SocketPing.answers("unix://" + home.resolve("none.sock"))).isFalse();
        Path sock = home.resolve("ok.sock");
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(sock));
            Thread t = new Thread(() -> {
                try (var c = server.accept()) {
                    c.read(java.nio.ByteBuffer.allocate(1024));
                    c.write(java.nio.ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK".getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    // test fails below
                }
            });
            t.start();
            assertThat(SocketPing.answers("unix://" + sock)).isTrue();
            t.join();
        }
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
