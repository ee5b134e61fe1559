package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A build that ends early leaves nothing behind: when the client goes away during a long RUN
 * the engine stops that RUN, removes its container and moves no tag; when the engine itself is
 * killed mid-build, the restarted engine has no build container left and builds again.
 */
@EngineTest
class BuildCleanupIT {

  private static final Duration SETTLE = Duration.ofSeconds(30);

  private final Engine engine;
  private final DockerCli docker;
  private BuildContextDir context;

  BuildCleanupIT(Engine engine, DockerCli docker) {
    this.engine = engine;
    this.docker = docker;
  }

  @BeforeEach
  void createContext() {
    context = BuildContextDir.create();
  }

  @AfterEach
  void deleteContext() {
    context.close();
  }

  private void dockerfile(String text) {
    context.write("Dockerfile", text);
  }

  private String imageId(String ref) {
    return docker.run("image", "inspect", "-f", "{{.Id}}", ref).assertSuccess().out();
  }

  /** Whether a process on this host runs {@code sleep SECONDS} (a RUN step's process is one). */
  private static boolean sleepRuns(String seconds) {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
        try {
          return new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
              .equals("sleep\0" + seconds + "\0");
        } catch (IOException gone) {
          return false;
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(SETTLE);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + SETTLE.toSeconds() + " s: " + what);
      }
      EngineProcess.sleep(Duration.ofMillis(200));
    }
  }

  private boolean noContainers() {
    return docker.run("ps", "-aq").assertSuccess().out().isEmpty();
  }

  @Test
  void aClientKilledDuringARunStopsItRemovesItsContainerAndMovesNoTag() throws IOException {
    dockerfile("FROM busybox\nRUN echo one > /v\n");
    context.build(docker, "-t", "cleanup:kept").assertSuccess();
    String before = imageId("cleanup:kept");

    dockerfile("FROM busybox\nRUN echo one > /v\nRUN echo long-step-$((40+2)) && sleep 7171\n");
    try (RunningCommand build = docker.spawn("build", "-t", "cleanup:kept", context.path().toString())) {
      build.expect("long-step-42", BuildContextDir.BUILD_TIMEOUT);
      assertThat(docker.run("ps", "-q").assertSuccess().out()).as("the RUN container runs").isNotEmpty();
      assertThat(sleepRuns("7171")).isTrue();
      build.close(); // SIGKILL: the client is gone without a word
    }

    await("the RUN's process ends", () -> !sleepRuns("7171"));
    await("the RUN's container is removed", this::noContainers);
    assertThat(imageId("cleanup:kept")).isEqualTo(before);

    dockerfile("FROM busybox\nRUN echo after > /v\n");
    context.build(docker, "-t", "cleanup:after").assertSuccess();
    assertThat(docker.run("run", "--rm", "cleanup:after", "cat", "/v").assertSuccess().out()).isEqualTo("after");
  }

  @Test
  void afterAnEngineKilledMidBuildNoBuildContainerIsLeftAndTheNextBuildWorks() throws IOException {
    dockerfile("FROM busybox\nRUN echo long-step-$((40+2)) && sleep 7272\n");
    try (RunningCommand build = docker.spawn("build", "-t", "cleanup:crashed", context.path().toString())) {
      build.expect("long-step-42", BuildContextDir.BUILD_TIMEOUT);
      engine.killHard();
      build.awaitExit(Duration.ofSeconds(30));
    }
    if (engine.kind() == Engine.Kind.DOCKERD) {
      EngineProcess.sleep(Duration.ofSeconds(7)); // its containerd takes a while to notice (as in RecoveryIT)
    }
    engine.restart();

    if (engine.kind() == Engine.Kind.DOCKERD) {
      // A deliberate difference: dockerd (with --live-restore) keeps the dead build's container,
      // its RUN still running.
      assertThat(noContainers()).isFalse();
      docker.run("rm", "-f", docker.run("ps", "-aq").out()).assertSuccess();
    } else {
      await("the RUN's process ends", () -> !sleepRuns("7272"));
    }
    await("no build container after the restart", this::noContainers);
    assertThat(docker.run("image", "inspect", "cleanup:crashed").exitCode()).isNotZero();

    dockerfile("FROM busybox\nRUN echo rebuilt > /v\n");
    context.build(docker, "-t", "cleanup:crashed").assertSuccess();
    assertThat(docker.run("run", "--rm", "cleanup:crashed", "cat", "/v").assertSuccess().out()).isEqualTo("rebuilt");
  }
}
