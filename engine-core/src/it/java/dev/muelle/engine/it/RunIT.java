package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code docker run} in the foreground: output, exit codes, and a missing image. */
@EngineTest
class RunIT {

  @Test
  void runPrintsTheCommandsOutput(DockerCli docker) {
    CliResult run = docker.run("run", "--rm", "busybox", "echo", "hello").assertSuccess();

    assertThat(run.stdout()).isEqualTo("hello\n");
  }

  @Test
  void runExitsWithTheContainersExitCode(DockerCli docker) {
    CliResult run = docker.run("run", "--rm", "busybox", "sh", "-c", "exit 3");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
  }

  @Test
  void runRemovesTheContainerWithRm(DockerCli docker) {
    docker.run("run", "--rm", "--name", "run_rm", "busybox", "true").assertSuccess();

    assertThat(docker.run("ps", "-a", "--filter", "name=run_rm", "--format", "{{.Names}}").out()).isEmpty();
  }

  @Test
  void runOfAnUnknownImageFailsWith125AndNamesTheImage(DockerCli docker) {
    CliResult run = docker.run("run", "--rm", "nosuchimage", "true");

    // Without a registry the CLI says "Unable to find image 'nosuchimage:latest' locally" and then
    // reports the pull error, whose wording depends on the engine and the network.
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(125);
    assertThat(run.stderr()).contains("Unable to find image 'nosuchimage:latest' locally");
    assertThat(run.stderr()).contains("nosuchimage");
  }
}
