package dev.muelle.engine.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real registry for tests: Debian's {@code docker-registry} (the CNCF distribution registry)
 * on 127.0.0.1 and a free port, with its storage in a temp dir. Plain HTTP by default; {@link
 * #secured} adds TLS with a certificate from a CA made here with openssl and htpasswd (bcrypt)
 * basic auth. Its access log is kept, so tests can count what was fetched.
 *
 * <p>{@link #close} stops the registry and deletes everything it made, also after failures.
 */
public final class LocalRegistry implements AutoCloseable {

  private static final Pattern ACCESS = Pattern.compile("\"(GET|HEAD|PUT|POST|PATCH|DELETE) (\\S+) HTTP/[0-9.]+\" (\\d{3})");

  private final Path dir;
  private final int port;
  private final Process process;
  private final boolean tls;

  private LocalRegistry(Path dir, int port, Process process, boolean tls) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.tls = tls;
  }

  /** A registry over plain HTTP without auth. */
  public static LocalRegistry plain() {
    return start(false, null, null, null);
  }

  /** A registry over HTTPS (certificate signed by {@link #caCertificate()}) with one user. */
  public static LocalRegistry secured(String user, String password) {
    return start(true, user, password, null);
  }

  /** A registry over plain HTTP that wants bearer tokens from {@code tokens}. */
  public static LocalRegistry withTokenAuth(TokenServer tokens) {
    return start(false, null, null, tokens);
  }

  private static LocalRegistry start(boolean tls, String user, String password, TokenServer tokens) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("reg-");
      int port = freePort();
      StringBuilder config = new StringBuilder("""
          version: 0.1
          log:
            level: info
          storage:
            filesystem:
              rootdirectory: %s
            delete:
              enabled: true
          http:
            addr: 127.0.0.1:%d
          """.formatted(dir.resolve("storage"), port));
      if (tls) {
        makeCertificates(dir);
        config.append("""
              tls:
                certificate: %s
                key: %s
            """.formatted(dir.resolve("server.crt"), dir.resolve("server.key")));
      }
      if (user != null) {
        sh(dir, "htpasswd", "-Bbc", dir.resolve("htpasswd").toString(), user, password);
        config.append("""
            auth:
              htpasswd:
                realm: muelle-test
                path: %s
            """.formatted(dir.resolve("htpasswd")));
      }
      if (tokens != null) {
        config.append("""
            auth:
              token:
                realm: %s
                service: %s
                issuer: %s
                rootcertbundle: %s
            """.formatted(tokens.realm(), TokenServer.SERVICE, TokenServer.ISSUER, tokens.certificate()));
      }
      Files.writeString(dir.resolve("config.yml"), config);
      Process p = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
      LocalRegistry registry = new LocalRegistry(dir, port, p, tls);
      registry.awaitReady();
      return registry;
    } catch (IOException | RuntimeException e) {
      if (dir != null) {
        deleteTree(dir);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot start docker-registry", e);
    }
  }

  /** A CA, and a server certificate it signed for 127.0.0.1 and localhost. */
  private static void makeCertificates(Path dir) {
    sh(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "2", "-subj", "/CN=muelle-test-ca");
    sh(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1");
    try {
      Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    sh(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.crt", "-days", "2", "-extfile", "san.ext");
  }

  /** {@code 127.0.0.1:PORT}, the registry part of image references. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  /** Request lines of the access log so far: {@code GET /v2/app/blobs/sha256:… 200}. */
  public List<String> requests() {
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(dir.resolve("registry.log"))) {
        Matcher m = ACCESS.matcher(line);
        if (m.find()) {
          out.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** Successful blob downloads so far ({@code GET /v2/<repo>/blobs/<digest>} answered 200). */
  public List<String> blobDownloads() {
    return requests().stream().filter(r -> r.startsWith("GET /v2/") && r.contains("/blobs/sha256:")
        && r.endsWith(" 200")).toList();
  }

  /** The digest the registry reports for {@code repo:tag} (HEAD with the manifest types). */
  public String manifestDigest(String repo, String tag, String user, String password) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(
              (tls ? "https" : "http") + "://" + host() + "/v2/" + repo + "/manifests/" + tag))
          .method("HEAD", HttpRequest.BodyPublishers.noBody())
          .header("Accept", "application/vnd.docker.distribution.manifest.v2+json, "
              + "application/vnd.oci.image.manifest.v1+json");
      if (user != null) {
        b.header("Authorization", "Basic " + java.util.Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes()));
      }
      HttpResponse<Void> r = client().send(b.build(), HttpResponse.BodyHandlers.discarding());
      return r.headers().firstValue("Docker-Content-Digest").orElseThrow(
          () -> new AssertionError("registry has no manifest " + repo + ":" + tag + " (HTTP " + r.statusCode() + ")"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpClient client() {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls) {
      b.sslContext(TestCa.trusting(caCertificate()));
    }
    return b.build();
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited:\n" + log());
      }
      try {
        client().send(HttpRequest.newBuilder(URI.create((tls ? "https" : "http") + "://" + host() + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException notYet) {
        EngineProcess.sleep(Duration.ofMillis(100));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("docker-registry did not answer on " + host() + ":\n" + log());
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("registry.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteTree(dir);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sh(Path dir, String... command) {
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command[0] + " (./muelle test installs it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: it is a temp dir
    }
  }
}
