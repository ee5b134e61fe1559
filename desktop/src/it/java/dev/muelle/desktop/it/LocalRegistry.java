package dev.muelle.desktop.it;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real registry (Debian's docker-registry, the CNCF distribution) on a free loopback port with
 * storage in a scratch folder, filled with skopeo so it does not depend on the engine's push.
 */
final class LocalRegistry implements AutoCloseable {

    private final Process process;
    private final int port;

    private LocalRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static LocalRegistry start(Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("storage"));
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port));
        Process p = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(p, port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v2/").toURL().openConnection();
                if (c.getResponseCode() == 200) {
                    return registry;
                }
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        registry.close();
        throw new IllegalStateException("docker-registry did not answer on port " + port);
    }

    /** {@code localhost:PORT} as image names spell it. */
    String host() {
        return "localhost:" + port;
    }

    /** Copy a docker-archive tar into the registry as {@code name}. */
    void push(Path dockerArchive, String name) throws IOException, InterruptedException {
        // Output to a file, not a pipe: a read of the pipe has no deadline, waitFor has one.
        Path log = Files.createTempFile(dockerArchive.getParent(), "skopeo", ".log");
        Process p = new ProcessBuilder("skopeo", "copy", "--dest-tls-verify=false",
                "docker-archive:" + dockerArchive, "docker://" + host() + "/" + name)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("skopeo copy failed: " + Files.readString(log));
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
