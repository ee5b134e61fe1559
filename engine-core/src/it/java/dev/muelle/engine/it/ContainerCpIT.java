package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker cp} in both directions on running and stopped containers, into and out of
 * mounted volumes, keeping modes and owners; and traversal attempts ({@code ..}, absolute
 * symlinks, a symlink swapped in while copying) that must never reach the host.
 */
@EngineTest
class ContainerCpIT {

  private final DockerCli docker;

  @TempDir static Path host;
  /** A host directory the container must never reach: it holds a secret and must gain no file. */
  static Path sentinel;

  ContainerCpIT(DockerCli docker) {
    this.docker = docker;
  }

  @BeforeAll
  static void setUp(DockerCli docker) throws IOException {
    sentinel = Files.createDirectories(host.resolve("sentinel"));
    Files.writeString(sentinel.resolve("secret"), "SECRET\n");
    docker.run("run", "-d", "--name", "cp_run", "-v", "cp_vol:/vol", "busybox", "sleep", "600").assertSuccess();
  }

  @AfterAll
  static void tearDown(DockerCli docker) {
    docker.run("rm", "-f", "cp_run", "cp_stopped", "cp_race");
    docker.run("volume", "rm", "cp_vol");
  }

  private static Path tree(String name) throws IOException {
    Path root = Files.createDirectories(host.resolve(name));
    Files.createDirectories(root.resolve("sub/deeper"));
    Files.writeString(root.resolve("plain.txt"), "plain\n");
    Files.writeString(root.resolve("sub/script.sh"), "#!/bin/sh\necho hi\n");
    Files.writeString(root.resolve("sub/deeper/owned"), "owned\n");
    Files.setAttribute(root.resolve("plain.txt"), "unix:mode", 0600);
    Files.setAttribute(root.resolve("sub/script.sh"), "unix:mode", 04755);
    Files.setAttribute(root.resolve("sub"), "unix:mode", 0750);
    Files.setAttribute(root.resolve("sub/deeper/owned"), "unix:uid", 1234);
    Files.setAttribute(root.resolve("sub/deeper/owned"), "unix:gid", 4321);
    Files.createSymbolicLink(root.resolve("link"), Path.of("plain.txt"));
    return root;
  }

  /** {@code stat} lines for a tree inside a container: "path mode uid:gid". */
  private String statIn(String container, String dir) {
    return docker.run("exec", container, "sh", "-c",
        "cd " + dir + " && find . | sort | while read f; do stat -c '%n %a %u:%g %F' \"$f\"; done").assertSuccess().out();
  }

  /** The tar {@code docker cp CTR:PATH -} writes, listed by tar(1) with numeric owners. */
  private static String tarListing(DockerCli docker, String source) throws Exception {
    ProcessBuilder b = new ProcessBuilder("sh", "-c", "docker cp " + source + " - | tar -tv --numeric-owner")
        .redirectErrorStream(true);
    b.environment().putAll(docker.environment());
    Process p = b.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  @Test
  void aDirectoryRoundTripsWithModesAndOwners() throws Exception {
    Path src = tree("roundtrip");
    docker.run("cp", src.toString(), "cp_run:/tmp/").assertSuccess();

    assertThat(statIn("cp_run", "/tmp/roundtrip")).isEqualTo("""
        . 755 0:0 directory
        ./link 777 0:0 symbolic link
        ./plain.txt 600 0:0 regular file
        ./sub 750 0:0 directory
        ./sub/deeper 755 0:0 directory
        ./sub/deeper/owned 644 1234:4321 regular file
        ./sub/script.sh 4755 0:0 regular file""");

    Path back = host.resolve("back");
    docker.run("cp", "cp_run:/tmp/roundtrip", back.toString()).assertSuccess();
    assertThat(Files.readString(back.resolve("sub/deeper/owned"))).isEqualTo("owned\n");
    assertThat(Files.getAttribute(back.resolve("sub/script.sh"), "unix:mode")).isEqualTo(0104755);
    assertThat(Files.getAttribute(back.resolve("plain.txt"), "unix:mode")).isEqualTo(0100600);
    assertThat(Files.readSymbolicLink(back.resolve("link"))).isEqualTo(Path.of("plain.txt"));
  }

  @Test
  void theArchiveStreamCarriesOwners() throws Exception {
    docker.run("exec", "cp_run", "sh", "-c", "mkdir -p /tmp/own && echo x > /tmp/own/f && chown 7:8 /tmp/own/f && chmod 640 /tmp/own/f")
        .assertSuccess();
    assertThat(tarListing(docker, "cp_run:/tmp/own")).contains("-rw-r----- 7/8").contains("own/f");
  }

  @Test
  void copiesReachIntoMountedVolumes() throws IOException {
    Path f = Files.writeString(host.resolve("into-volume.txt"), "in the volume\n");
    docker.run("cp", f.toString(), "cp_run:/vol/").assertSuccess();
    assertThat(docker.run("run", "--rm", "-v", "cp_vol:/v", "busybox", "cat", "/v/into-volume.txt").out())
        .isEqualTo("in the volume");

    docker.run("exec", "cp_run", "sh", "-c", "echo from-volume > /vol/out.txt").assertSuccess();
    Path out = host.resolve("from-volume.txt");
    docker.run("cp", "cp_run:/vol/out.txt", out.toString()).assertSuccess();
    assertThat(Files.readString(out)).isEqualTo("from-volume\n");

    // An archive of a parent directory includes the volume mounted below it.
    Path whole = host.resolve("whole-root-vol");
    docker.run("cp", "cp_run:/vol", whole.toString()).assertSuccess();
    assertThat(whole.resolve("into-volume.txt")).exists();
  }

  @Test
  void aSymlinkInTheRootfsLeadsIntoTheVolumeItPointsAt() throws IOException {
    docker.run("exec", "cp_run", "sh", "-c",
        "echo reached > /vol/target.txt && ln -sf /vol/target.txt /linked && ln -sfn ../vol /voldir").assertSuccess();
    Path followed = host.resolve("followed.txt");
    docker.run("cp", "-L", "cp_run:/linked", followed.toString()).assertSuccess();
    assertThat(Files.readString(followed)).isEqualTo("reached\n");
    Path dir = host.resolve("through-link");
    docker.run("cp", "cp_run:/voldir/", dir.toString()).assertSuccess();
    assertThat(Files.readString(dir.resolve("target.txt"))).isEqualTo("reached\n");
    Path payload = Files.writeString(host.resolve("via-link.txt"), "via link\n");
    docker.run("cp", payload.toString(), "cp_run:/voldir/").assertSuccess();
    assertThat(docker.run("exec", "cp_run", "cat", "/vol/via-link.txt").assertSuccess().out()).isEqualTo("via link");
  }

  @Test
  void singleFileBindsAndTheEtcFilesReadAsTheContainerSeesThem() throws IOException {
    Path conf = Files.writeString(host.resolve("app.conf"), "setting=1\n");
    docker.run("run", "-d", "--name", "cp_file", "-v", conf + ":/etc/app.conf:ro", "busybox", "sleep", "600")
        .assertSuccess();
    try {
      for (String file : List.of("/etc/app.conf", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf")) {
        Path out = host.resolve("etc-copy" + file.replace('/', '-'));
        docker.run("cp", "cp_file:" + file, out.toString()).assertSuccess();
        assertThat(Files.readString(out).strip()).as(file)
            .isEqualTo(docker.run("exec", "cp_file", "cat", file).assertSuccess().out()).isNotEmpty();
      }
    } finally {
      docker.run("rm", "-f", "cp_file");
    }
  }

  @Test
  void aStoppedContainerCanBeCopiedToAndFrom() throws IOException {
    docker.run("create", "--name", "cp_stopped", "busybox", "cat", "/data/in.txt").assertSuccess();
    Path dir = Files.createDirectories(host.resolve("stopped/data"));
    Files.writeString(dir.resolve("in.txt"), "copied while stopped\n");
    docker.run("cp", dir.toString(), "cp_stopped:/").assertSuccess();
    Path passwd = host.resolve("stopped-passwd");
    docker.run("cp", "cp_stopped:/etc/passwd", passwd.toString()).assertSuccess();
    assertThat(Files.readString(passwd)).startsWith("root:x:0:0:");

    docker.run("start", "-a", "cp_stopped").assertSuccess();
    assertThat(docker.run("logs", "cp_stopped").out()).isEqualTo("copied while stopped");
  }

  @Test
  void aMissingPathIsReportedAsDockerDoes() throws IOException {
    CliResult from = docker.run("cp", "cp_run:/no/such/file", host.resolve("x").toString());
    assertThat(from.exitCode()).isNotZero();
    assertThat(from.stderr()).contains("Could not find the file /no/such/file in container cp_run");
  }

  @Test
  void dotDotAndSymlinksStayInsideTheContainer() throws IOException {
    Path payload = Files.writeString(host.resolve("payload.txt"), "payload\n");
    String outside = sentinel.toString();

    // ".." above the root is the root, as inside the container: this lands in the container's /tmp.
    docker.run("cp", payload.toString(), "cp_run:/../../../../tmp/").assertSuccess();
    assertThat(docker.run("exec", "cp_run", "cat", "/tmp/payload.txt").out()).isEqualTo("payload");

    // A symlink to a host path resolves inside the container, where that path does not exist.
    docker.run("exec", "cp_run", "sh", "-c", "ln -sfn " + outside + " /tmp/escape && ln -sfn / /tmp/rootlink").assertSuccess();
    assertThat(docker.run("cp", payload.toString(), "cp_run:/tmp/escape/").exitCode()).isNotZero();
    assertThat(docker.run("cp", "cp_run:/tmp/escape/secret", host.resolve("stolen").toString()).exitCode()).isNotZero();
    assertThat(host.resolve("stolen")).doesNotExist();
    docker.run("cp", payload.toString(), "cp_run:/tmp/rootlink/../../" + "tmp/").assertSuccess();

    assertThat(sentinelContents()).containsExactly("secret");
  }

  @Test
  void aSymlinkSwappedInWhileCopyingNeverLeadsOut() throws Exception {
    // The container keeps replacing /tmp/race/d: a directory one moment, a symlink to the host's
    // sentinel directory the next. Copies into and out of it must never touch the sentinel.
    docker.run("run", "-d", "--name", "cp_race", "busybox", "sh", "-c",
        "mkdir -p /tmp/race; while true; do mkdir -p /tmp/race/dd; echo inside > /tmp/race/dd/secret;"
            + " mv -T /tmp/race/dd /tmp/race/d 2>/dev/null; rm -rf /tmp/race/d;"
            + " ln -s " + sentinel + " /tmp/race/d; rm -f /tmp/race/d; done").assertSuccess();
    Path payload = Files.writeString(host.resolve("race.txt"), "race\n");
    long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    int attempts = 0;
    while (System.nanoTime() < deadline) {
      docker.run("cp", payload.toString(), "cp_race:/tmp/race/d/");
      Path got = host.resolve("race-out-" + attempts);
      docker.run("cp", "cp_race:/tmp/race/d/secret", got.toString());
      if (Files.exists(got)) {
        assertThat(Files.readString(got)).isEqualTo("inside\n");
      }
      attempts++;
    }
    docker.run("rm", "-f", "cp_race").assertSuccess();
    assertThat(attempts).isGreaterThan(3);
    assertThat(sentinelContents()).containsExactly("secret");
    assertThat(Files.readString(sentinel.resolve("secret"))).isEqualTo("SECRET\n");
  }

  private static List<String> sentinelContents() throws IOException {
    try (Stream<Path> s = Files.list(sentinel)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
