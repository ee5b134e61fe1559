package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rest of {@code docker build}'s surface, checked against the reference dockerd:
 * {@code --iidfile}, {@code --rm}/{@code --force-rm}, a gzip context on stdin, {@code -f} inside
 * the context, the escape and syntax directives, {@code FROM --platform}, and the line and
 * reason of a malformed Dockerfile.
 */
@EngineTest
class BuildOptionsIT {

  private final DockerCli docker;
  private BuildContextDir context;
  private Path scratch;

  BuildOptionsIT(DockerCli docker) {
    this.docker = docker;
  }

  @BeforeEach
  void createContext() throws IOException {
    scratch = Files.createTempDirectory("build-options-it");
    context = BuildContextDir.create();
  }

  @AfterEach
  void deleteContext() throws IOException {
    context.close();
    try (Stream<Path> walk = Files.walk(scratch)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private CliResult build(String... args) {
    return context.build(docker, args);
  }

  private String imageId(String ref) {
    return docker.run("image", "inspect", "-f", "{{.Id}}", ref).assertSuccess().out();
  }

  private List<String> allContainers() {
    return docker.run("ps", "-aq", "--no-trunc").assertSuccess().out().lines().toList();
  }

  @Test
  void iidfileGetsTheImageId() throws IOException {
    context.write("Dockerfile", "FROM busybox\nLABEL purpose=iidfile\n");
    Path iid = scratch.resolve("iid");
    build("--iidfile", iid.toString(), "-t", "opts:iid").assertSuccess();
    assertThat(Files.readString(iid)).startsWith("sha256:").isEqualTo(imageId("opts:iid"));
  }

  @Test
  void labelsGoOnTheImageAndQuietPrintsOnlyItsId() {
    context.write("Dockerfile", "FROM busybox\nLABEL from.file=yes\n");
    CliResult quiet = build("-q", "--label", "from.cli=1", "--label", "other=two words", "-t", "opts:label");
    quiet.assertSuccess();
    assertThat(quiet.stdout()).isEqualTo(imageId("opts:label") + "\n");
    assertThat(docker.run("inspect", "-f", "{{json .Config.Labels}}", "opts:label").assertSuccess().out())
        .isEqualTo("{\"from.cli\":\"1\",\"from.file\":\"yes\",\"other\":\"two words\"}");
  }

  @Test
  void failedRunContainersStayUnlessForceRmAndRmFalseKeepsThemAll() throws IOException {
    List<String> before = allContainers();
    context.write("Dockerfile", "FROM busybox\nRUN echo step > /s\nRUN exit 5\n");
    assertThat(build("-t", "opts:fails").exitCode()).isEqualTo(5);
    List<String> kept = allContainers().stream().filter(c -> !before.contains(c)).toList();
    assertThat(kept).as("the failed step's container stays, the successful one's goes").hasSize(1);
    assertThat(docker.run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", kept.get(0)).assertSuccess().out())
        .isEqualTo("exited 5");
    docker.run("rm", kept.get(0)).assertSuccess();

    assertThat(build("--no-cache", "--force-rm", "-t", "opts:fails").exitCode()).isEqualTo(5);
    assertThat(allContainers()).as("--force-rm removes even the failed step's container").isEqualTo(before);

    context.write("Dockerfile", "FROM busybox\nRUN echo one > /one\nRUN echo two > /two\n");
    build("--rm=false", "-t", "opts:kept").assertSuccess();
    List<String> all = allContainers().stream().filter(c -> !before.contains(c)).toList();
    assertThat(all).as("--rm=false keeps every RUN container").hasSize(2);
    docker.run("rm", all.get(0), all.get(1)).assertSuccess();
  }

  @Test
  void aGzipContextOnStdinBuilds() throws IOException {
    Path tgz = scratch.resolve("context.tar.gz");
    Map<String, String> files = new LinkedHashMap<>();
    files.put("Dockerfile", "FROM busybox\nCOPY hello.txt /hello.txt\n");
    files.put("hello.txt", "from a gzip context\n");
    BuildContextDir.tar(tgz, true, files);
    docker.run(BuildContextDir.BUILD_TIMEOUT, tgz.toFile(), "build", "-t", "opts:gzip", "-").assertSuccess();
    assertThat(docker.run("run", "--rm", "opts:gzip", "cat", "/hello.txt").assertSuccess().out())
        .isEqualTo("from a gzip context");
  }

  @Test
  void aDockerfileAnywhereInTheContextIsUsedWithF() throws IOException {
    context.write("Dockerfile", "FROM busybox\nLABEL which=root\n");
    context.write("build/docker/App.dockerfile", "FROM busybox\nCOPY data/x.txt /x.txt\nLABEL which=nested\n");
    context.write("data/x.txt", "x\n");
    build("-f", context.resolve("build/docker/App.dockerfile").toString(), "-t", "opts:nested").assertSuccess();
    assertThat(docker.run("inspect", "-f", "{{.Config.Labels.which}}", "opts:nested").assertSuccess().out())
        .isEqualTo("nested");
    assertThat(docker.run("run", "--rm", "opts:nested", "cat", "/x.txt").assertSuccess().out()).isEqualTo("x");

    CliResult missing = build("-f", context.resolve("nope/Dockerfile").toString());
    assertThat(missing.exitCode()).isNotZero();
  }

  @Test
  void escapeAndSyntaxDirectives() throws IOException {
    context.write("Dockerfile", """
        # syntax=docker/dockerfile:1
        # escape=`
        FROM busybox
        ENV WIN=C:\\path\\to
        RUN echo one `
            two > /joined && printf '%s\\n' "$WIN" > /win
        """);
    build("-t", "opts:escape").assertSuccess();
    assertThat(docker.run("run", "--rm", "opts:escape", "cat", "/joined", "/win").assertSuccess().out())
        .isEqualTo("one two\nC:\\path\\to");
  }

  @Test
  void fromWithPlatformBuildsForThatPlatform() throws IOException {
    context.write("Dockerfile", "FROM --platform=linux/amd64 busybox\nRUN echo platform > /p\n");
    build("-t", "opts:platform").assertSuccess();
    assertThat(docker.run("image", "inspect", "-f", "{{.Os}}/{{.Architecture}}", "opts:platform").assertSuccess().out())
        .isEqualTo("linux/amd64");
  }

  @Test
  void aMalformedDockerfileIsRejectedWithItsLineAndReason() throws IOException {
    context.write("Dockerfile", "FROM busybox\n\nENV\n");
    CliResult noArgs = build();
    assertThat(noArgs.exitCode()).isNotZero();
    assertThat(noArgs.stderr()).contains("dockerfile parse error line 3: ENV requires at least one argument");

    context.write("Dockerfile", "FROM busybox\nCOPY --nope=1 a b\n");
    CliResult badFlag = build();
    assertThat(badFlag.exitCode()).isNotZero();
    assertThat(badFlag.stderr()).contains("dockerfile parse error line 2: Unknown flag: nope");

    context.write("Dockerfile", "FROM busybox\nRUN --network=none true\n");
    CliResult buildkitFlag = build();
    assertThat(buildkitFlag.exitCode()).isNotZero();
    assertThat(buildkitFlag.stderr()).as("the classic builder has no RUN flags")
        .contains("dockerfile parse error line 2: Unknown flag: network");

    context.write("Dockerfile", "FROM busybox\nCOPY onlyone\n");
    CliResult oneArg = build();
    assertThat(oneArg.exitCode()).isNotZero();
    assertThat(oneArg.stderr()).contains("dockerfile parse error line 2: COPY requires at least two arguments");
  }
}
