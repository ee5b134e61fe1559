package dev.muelle.engine.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon itself: one engine per data root, and a clean SIGTERM shutdown that leaves
 * containers running for the next engine. Muelle-only (it starts a second engine process).
 */
@EngineTest
class EngineDaemonIT {

  @Test
  void theLauncherStartsTheEngineFromItsClassDataSharingArchive(Engine engine) throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(engine.kind() == Engine.Kind.MUELLE);
    List<String> maps = Files.readAllLines(
        java.nio.file.Path.of("/proc", Long.toString(((MuelleEngine) engine).pid()), "maps"));
    assertThat(maps).anyMatch(line -> line.endsWith("/target/muelled.jsa"));
  }

  @Test
  void aSecondEngineOnTheSameDataRootIsRefusedWithAClearMessage(Engine engine) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(engine.kind() == Engine.Kind.MUELLE);
    MuelleEngine muelle = (MuelleEngine) engine;
    List<String> command = new java.util.ArrayList<>(muelle.command());
    // Same data root, another socket and exec root.
    int host = command.indexOf("--host");
    command.set(host + 1, "unix://" + muelle.scratch().resolve("second.sock"));
    int exec = command.indexOf("--exec-root");
    command.set(exec + 1, muelle.scratch().resolve("exec2").toString());

    Process second = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(second.exitValue()).isEqualTo(1);
    assertThat(output).contains("another engine is already using the data root").doesNotContain("Exception");
    assertThat(Files.exists(muelle.scratch().resolve("second.sock"))).isFalse();
  }

  @Test
  void sigtermStopsTheEngineCleanlyAndContainersKeepRunning(Engine engine, DockerCli docker) throws IOException {
    docker.run("run", "-d", "--name", "survivor", "busybox", "sleep", "300").assertSuccess();

    engine.stop();
    assertThat(Files.exists(engine.socket())).as("socket removed at shutdown").isFalse();
    engine.restart();

    assertThat(docker.run("inspect", "-f", "{{.State.Status}}", "survivor").assertSuccess().out()).isEqualTo("running");
    docker.run("rm", "-f", "survivor").assertSuccess();
  }
}
