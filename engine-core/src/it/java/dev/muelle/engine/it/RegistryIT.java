package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push and pull with the stock CLI against a real registry (Debian's docker-registry on
 * loopback, plain HTTP, which Docker treats as insecure by default): multi-layer images made by
 * {@code fixtures/layered/build-image} go up, are removed, come back by tag and by digest with
 * the digests the registry reports, and run; shared base layers are not fetched twice; failures
 * read as dockerd's.
 */
@EngineTest
class RegistryIT {

  private static final Duration SLOW = Duration.ofMinutes(3);
  private static LocalRegistry registry;
  @TempDir
  static Path work;

  @BeforeAll
  static void startRegistry() {
    registry = LocalRegistry.plain();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void pushedImageComesBackByTagAndByDigestAndRuns(DockerCli docker) {
    String app = registry.host() + "/app";
    docker.run("load", "-i", layered(app + ":v1", Fixtures.busyboxTar(), "app-v1", 1 << 20, 2 << 20, 3 << 20)
        .toString()).assertSuccess();
    String id = imageId(docker, app + ":v1");
    java.time.Instant since = java.time.Instant.now();

    CliResult push = docker.run(SLOW, "push", app + ":v1").assertSuccess();
    String digest = registry.manifestDigest("app", "v1", null, null);
    assertThat(push.out()).contains("The push refers to repository [" + app + "]")
        .contains("v1: digest: " + digest + " size: ");
    assertThat(repoDigests(docker, app + ":v1")).contains(app + "@" + digest);

    docker.run("rmi", app + ":v1").assertSuccess();
    CliResult pull = docker.run(SLOW, "pull", app + ":v1").assertSuccess();
    assertThat(pull.out()).contains("v1: Pulling from app", "Pull complete", "Digest: " + digest,
        "Status: Downloaded newer image for " + app + ":v1");
    assertThat(imageId(docker, app + ":v1")).isEqualTo(id);
    assertThat(repoDigests(docker, app + ":v1")).containsExactly(app + "@" + digest);
    assertThat(docker.run("pull", app + ":v1").assertSuccess().out())
        .contains("Status: Image is up to date for " + app + ":v1");
    // dockerd's push and pull events name the familiar reference, the repository as "name".
    assertThat(ImageEventsIT.events(docker, since, java.time.Instant.now().plusSeconds(1), "type=image")
        .stream().filter(e -> e.startsWith("push ") || e.startsWith("pull "))).containsExactly(
        "push " + app + ":v1 " + app, "pull " + app + ":v1 " + app, "pull " + app + ":v1 " + app);

    docker.run("rmi", app + ":v1").assertSuccess();
    assertThat(docker.run("image", "inspect", id).exitCode()).isNotZero();
    docker.run(SLOW, "pull", app + "@" + digest).assertSuccess();
    assertThat(imageId(docker, app + "@" + digest)).isEqualTo(id);
    assertThat(docker.run("run", "--rm", app + "@" + digest, "sh", "-c", "wc -c < /data/v1-2; cat /etc/passwd | head -1")
        .assertSuccess().out()).isEqualTo("3145728\nroot:x:0:0:root:/root:/bin/sh");
    docker.run("rmi", app + "@" + digest).assertSuccess();
  }

  @Test
  void secondImageOnTheSameBaseFetchesOnlyItsNewLayer(DockerCli docker) {
    String repo = registry.host() + "/shared";
    Path base = layered(repo + ":base", Fixtures.busyboxTar(), "shared-base", 1 << 20, 1 << 20);
    Path top = layered(repo + ":top", base, "shared-top", 1 << 20);
    docker.run("load", "-i", base.toString()).assertSuccess();
    docker.run("load", "-i", top.toString()).assertSuccess();
    docker.run(SLOW, "push", repo + ":base").assertSuccess();
    assertThat(docker.run(SLOW, "push", repo + ":top").assertSuccess().out()).contains("Layer already exists");
    String topId = imageId(docker, repo + ":top");
    docker.run("rmi", repo + ":base", repo + ":top").assertSuccess();

    docker.run(SLOW, "pull", repo + ":base").assertSuccess();
    int before = registry.blobDownloads().size();
    CliResult pull = docker.run(SLOW, "pull", repo + ":top").assertSuccess();
    List<String> fetched = registry.blobDownloads().subList(before, registry.blobDownloads().size());

    // The config and the one new layer; the three base layers are already in the store.
    assertThat(fetched).hasSize(2).anyMatch(r -> r.contains(topId));
    assertThat(pull.out().lines().filter(l -> l.endsWith(": Already exists"))).hasSize(3);
    assertThat(docker.run("run", "--rm", repo + ":top", "ls", "/data").assertSuccess().out().lines())
        .containsExactly("base-0", "base-1", "top-0");
    docker.run("rmi", repo + ":base", repo + ":top").assertSuccess();
  }

  @Test
  void saveAndLoadOfSeveralImagesKeepTheirIds(DockerCli docker) {
    String one = registry.host() + "/saved:one";
    String two = registry.host() + "/saved:two";
    Path oneTar = layered(one, Fixtures.busyboxTar(), "saved-one", 4096);
    docker.run("load", "-i", oneTar.toString()).assertSuccess();
    docker.run("load", "-i", layered(two, oneTar, "saved-two", 8192).toString()).assertSuccess();
    String oneId = imageId(docker, one);
    String twoId = imageId(docker, two);
    Path saved = work.resolve("saved.tar");

    docker.run(SLOW, "save", "-o", saved.toString(), one, two).assertSuccess();
    docker.run("rmi", one, two).assertSuccess();
    assertThat(docker.run(SLOW, "load", "-i", saved.toString()).assertSuccess().out().lines())
        .contains("Loaded image: " + one, "Loaded image: " + two);

    assertThat(imageId(docker, one)).isEqualTo(oneId);
    assertThat(imageId(docker, two)).isEqualTo(twoId);
    assertThat(docker.run("run", "--rm", two, "ls", "/data").assertSuccess().out().lines())
        .containsExactly("one-0", "two-0");
    docker.run("rmi", one, two).assertSuccess();
  }

  @Test
  void registryFailuresReadAsDockersMessages(DockerCli docker) {
    String app = registry.host() + "/app";
    assertFails(docker.run("pull", app + ":no-such-tag"),
        "Error response from daemon: manifest for " + app + ":no-such-tag not found: manifest unknown: manifest unknown");
    assertFails(docker.run("pull", registry.host() + "/no-such-repo"),
        "Error response from daemon: manifest for " + registry.host()
            + "/no-such-repo:latest not found: manifest unknown: manifest unknown");
    String nothing = "sha256:" + "0".repeat(64);
    assertFails(docker.run("pull", app + "@" + nothing),
        "Error response from daemon: manifest for " + app + "@" + nothing + " not found: manifest unknown: manifest unknown");
    String closed = "127.0.0.1:" + closedPort();
    assertFails(docker.run("pull", closed + "/app"),
        "Error response from daemon: Get \"http://" + closed + "/v2/\": dial tcp " + closed
            + ": connect: connection refused");
    assertFails(docker.run("push", registry.host() + "/not-here:v1"),
        "An image does not exist locally with the tag: " + registry.host() + "/not-here");
  }

  static void assertFails(CliResult r, String message) {
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.stderr()).as(r.toString()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static Path layered(String ref, Path base, String seed, long... sizes) {
    return Fixtures.layeredTar(work, ref, base, seed, sizes);
  }

  static String imageId(DockerCli docker, String ref) {
    return docker.run("image", "inspect", "-f", "{{.Id}}", ref).assertSuccess().out();
  }

  static List<String> repoDigests(DockerCli docker, String ref) {
    return docker.run("image", "inspect", "-f", "{{range .RepoDigests}}{{println .}}{{end}}", ref).assertSuccess()
        .out().lines().filter(l -> !l.isBlank()).toList();
  }

  static int closedPort() {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
