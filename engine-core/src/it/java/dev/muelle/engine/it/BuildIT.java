package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code DOCKER_BUILDKIT=0 docker build} end to end: stages, cache, .dockerignore, failures. */
@EngineTest
class BuildIT {

  private final Engine engine;
  private final DockerCli docker;
  private BuildContextDir context;

  BuildIT(Engine engine, DockerCli docker) {
    this.engine = engine;
    this.docker = docker;
  }

  @AfterEach
  void deleteContext() {
    if (context != null) {
      context.close();
    }
  }

  private void context(Map<String, String> files) {
    context = BuildContextDir.create();
    files.forEach(context::write);
  }

  private CliResult build(String... args) {
    return context.build(docker, args);
  }

  private static long usingCache(CliResult r) {
    return r.stdout().lines().filter(l -> l.equals(" ---> Using cache")).count();
  }

  private List<String> layers(String image) {
    return List.of(docker.run("image", "inspect", "-f", "{{range .RootFS.Layers}}{{.}} {{end}}", image)
        .assertSuccess().out().split(" "));
  }

  @Test
  void threeStageBuildGivesTheFilesOwnersEnvEntrypointAndCmd() throws IOException {
    context(Map.of("src/main.txt", "main\n", "Dockerfile", """
        ARG BASE=busybox
        FROM ${BASE} AS builder
        ARG GREETING=hello
        ENV APP_HOME=/opt/app
        WORKDIR $APP_HOME
        COPY src/ ./src/
        RUN echo "$GREETING from build" > built.txt && cat src/main.txt >> built.txt

        FROM busybox AS tools
        RUN echo tool > /tool.txt

        FROM busybox
        ENV MODE=prod \\
            HOME=/home/app
        RUN echo 'app:x:1234:1234::/home/app:/bin/sh' >> /etc/passwd && echo 'app:x:1234:' >> /etc/group
        COPY --from=builder --chown=app:app /opt/app/built.txt /home/app/built.txt
        COPY --from=tools /tool.txt /usr/local/share/
        USER app
        WORKDIR /home/app
        ENTRYPOINT ["sh", "-c"]
        CMD ["cat built.txt /usr/local/share/tool.txt; id -u; echo $MODE"]
        """));

    CliResult built = build("--build-arg", "GREETING=hi", "-t", "three:stage", "-t", "three:other");
    built.assertSuccess();
    assertThat(built.stdout()).contains("Step 1/18 : ARG BASE=busybox", "Successfully built ",
        "Successfully tagged three:stage", "Successfully tagged three:other");

    assertThat(docker.run("run", "--rm", "three:stage").assertSuccess().stdout())
        .isEqualTo("hi from build\nmain\ntool\n1234\nprod\n");
    assertThat(docker.run("run", "--rm", "three:stage", "stat -c %u:%g:%a /home/app/built.txt").assertSuccess().out())
        .isEqualTo("1234:1234:644");
    assertThat(docker.run("image", "inspect", "-f", "{{.Config.User}} {{.Config.WorkingDir}} {{json .Config.Entrypoint}}",
        "three:stage").assertSuccess().out()).isEqualTo("app /home/app [\"sh\",\"-c\"]");
    assertThat(docker.run("image", "inspect", "-f", "{{json .Config.Env}}", "three:other").assertSuccess().out())
        .contains("MODE=prod", "HOME=/home/app");
  }

  @Test
  void rebuildUsesTheCacheAndAChangedFileRebuildsFromItsStepOnly() throws IOException {
    context(Map.of("a.txt", "a\n", "b.txt", "b1\n", "Dockerfile", """
        FROM busybox
        COPY a.txt /a.txt
        RUN cat /a.txt > /copy-a.txt
        COPY b.txt /b.txt
        RUN cat /b.txt > /copy-b.txt
        CMD ["cat", "/copy-a.txt", "/copy-b.txt"]
        """));
    CliResult first = build("-t", "cached");
    first.assertSuccess();
    assertThat(usingCache(first)).isZero();
    List<String> before = layers("cached");

    CliResult again = build("-t", "cached");
    again.assertSuccess();
    assertThat(usingCache(again)).isEqualTo(5);
    assertThat(layers("cached")).isEqualTo(before);

    Files.writeString(context.resolve("b.txt"), "b2\n");
    CliResult changed = build("-t", "cached");
    changed.assertSuccess();
    assertThat(usingCache(changed)).as(changed.stdout()).isEqualTo(2);
    assertThat(changed.stdout()).containsSubsequence("Step 3/6", "Using cache", "Step 4/6 : COPY b.txt /b.txt",
        "Step 5/6", "Running in");
    List<String> after = layers("cached");
    assertThat(after.subList(0, 3)).isEqualTo(before.subList(0, 3));
    assertThat(after.get(3)).isNotEqualTo(before.get(3));
    assertThat(docker.run("run", "--rm", "cached").assertSuccess().stdout()).isEqualTo("a\nb2\n");

    docker.run("builder", "prune", "-f").assertSuccess();
    if (engine.kind() == Engine.Kind.DOCKERD) {
      return; // dockerd's prune clears only BuildKit's cache; Muelle's clears the classic builder's
    }
    CliResult pruned = build("-t", "cached");
    pruned.assertSuccess();
    assertThat(usingCache(pruned)).isZero();
  }

  @Test
  void dockerignoreTargetAndBuildArgs() throws IOException {
    context(Map.of("app.txt", "app", "debug.log", "log", "keep.log", "keep", "secret/key", "k",
        ".dockerignore", "*.log\nsecret/\n!keep.log\n", "Dockerfile", """
        FROM busybox AS first
        ARG FLAVOR=plain
        RUN echo "flavor=$FLAVOR" > /flavor
        COPY . /ctx/

        FROM first AS second
        RUN false
        """));
    build("--target", "first", "--build-arg", "FLAVOR=spicy", "-t", "ignored").assertSuccess();
    assertThat(docker.run("run", "--rm", "ignored", "sh", "-c", "cat /flavor; ls -A /ctx").assertSuccess().stdout())
        .isEqualTo("flavor=spicy\n.dockerignore\nDockerfile\napp.txt\nkeep.log\n");
  }

  @Test
  void aFailingRunFailsWithTheCommandAndItsCodeAndMovesNoTag() throws IOException {
    context(Map.of("Dockerfile", "FROM busybox\nRUN true\n"));
    build("-t", "stays").assertSuccess();
    String id = docker.run("image", "inspect", "-f", "{{.Id}}", "stays").assertSuccess().out();

    Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN echo about to fail && exit 3\n");
    CliResult failed = build("-t", "stays");
    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(3);
    assertThat(failed.stdout()).contains("Step 2/2 : RUN echo about to fail && exit 3", "about to fail");
    assertThat(failed.stderr())
        .contains("The command '/bin/sh -c echo about to fail && exit 3' returned a non-zero code: 3");
    assertThat(docker.run("image", "inspect", "-f", "{{.Id}}", "stays").assertSuccess().out()).isEqualTo(id);
  }

  @Test
  void anUnknownInstructionIsRejectedWithItsLine() throws IOException {
    context(Map.of("Dockerfile", "FROM busybox\nFOO bar\n"));
    CliResult failed = build();
    assertThat(failed.exitCode()).isNotZero();
    assertThat(failed.stderr()).contains("dockerfile parse error line 2: unknown instruction: FOO");
  }

  @Test
  void copyingAMissingFileNamesTheStep() throws IOException {
    context(Map.of("Dockerfile", "FROM busybox\nCOPY nope /x\n"));
    CliResult failed = build();
    assertThat(failed.exitCode()).isNotZero();
    assertThat(failed.stdout()).contains("Step 2/2 : COPY nope /x");
    assertThat(failed.stderr()).contains("COPY failed: file not found in build context or excluded by .dockerignore: "
        + "stat nope: file does not exist");
  }

  @Test
  void aBaseImageThatIsNotHereIsPulledFromItsRegistry() throws IOException {
    try (LocalRegistry registry = LocalRegistry.plain()) {
      String base = registry.host() + "/base/busybox:1";
      docker.run("tag", "busybox", base).assertSuccess();
      docker.run("push", base).assertSuccess();
      docker.run("rmi", base).assertSuccess();
      context(Map.of("Dockerfile", "FROM " + base + "\nRUN echo from-pulled-base > /x\n"));

      build("-t", "on-pulled-base").assertSuccess();

      assertThat(docker.run("image", "inspect", base).exitCode()).isZero();
      assertThat(docker.run("run", "--rm", "on-pulled-base", "cat", "/x").assertSuccess().out())
          .isEqualTo("from-pulled-base");
      // --pull asks the registry again even though the base is present now.
      long asked = manifestRequests(registry);
      build("--pull", "-t", "on-pulled-base").assertSuccess();
      assertThat(manifestRequests(registry)).isGreaterThan(asked);
      long afterPull = manifestRequests(registry);
      build("-t", "on-pulled-base").assertSuccess();
      assertThat(manifestRequests(registry)).as("without --pull a present base is not fetched")
          .isEqualTo(afterPull);
    }
  }

  private static long manifestRequests(LocalRegistry registry) {
    return registry.requests().stream().filter(r -> r.contains("/v2/base/busybox/manifests/")).count();
  }
}
