package dev.muelle.engine.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restart policies beyond "always" (LifecycleIT): on-failure with a retry limit, a clean exit
 * that on-failure leaves alone, and policies applied again after the engine itself restarts.
 */
@EngineTest
class RestartPolicyIT {

  private final Engine engine;
  private final DockerCli docker;

  RestartPolicyIT(Engine engine, DockerCli docker) {
    this.engine = engine;
    this.docker = docker;
  }

  private String inspect(String format, String name) {
    return docker.inspect(format, name);
  }

  private String awaitInspect(String format, String name, String expected, Duration timeout) {
    return docker.awaitInspect(format, name, expected, timeout);
  }

  @Test
  void onFailureRetriesUpToItsLimitThenStaysExited() {
    docker.run("run", "-d", "--name", "flaky", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 3")
        .assertSuccess();

    assertThat(awaitInspect("{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}", "flaky", "2 exited 3",
        Duration.ofSeconds(20))).isEqualTo("2 exited 3");
    EngineProcess.sleep(Duration.ofSeconds(2));
    assertThat(inspect("{{.RestartCount}} {{.State.Status}}", "flaky")).isEqualTo("2 exited");
  }

  @Test
  void onFailureDoesNotRestartACleanExit() {
    docker.run("run", "-d", "--name", "clean", "--restart", "on-failure", "busybox", "true").assertSuccess();

    assertThat(awaitInspect("{{.State.Status}} {{.State.ExitCode}}", "clean", "exited 0", Duration.ofSeconds(10)))
        .isEqualTo("exited 0");
    EngineProcess.sleep(Duration.ofSeconds(2));
    assertThat(inspect("{{.RestartCount}} {{.State.Status}}", "clean")).isEqualTo("0 exited");
  }

  @Test
  void policiesHoldAcrossAnEngineRestart() {
    docker.run("run", "-d", "--name", "keeper", "--restart", "unless-stopped", "busybox", "sleep", "300")
        .assertSuccess();
    docker.run("run", "-d", "--name", "parked", "--restart", "unless-stopped", "busybox", "sleep", "300")
        .assertSuccess();
    docker.run("stop", "-t", "1", "parked").assertSuccess();
    String keeperPid = inspect("{{.State.Pid}}", "keeper");

    engine.killHard();
    // While the engine is down, the container's process dies: the engine must notice the exit
    // when it comes back and apply the policy.
    ProcessHandle.of(Long.parseLong(keeperPid)).ifPresent(ProcessHandle::destroyForcibly);
    EngineProcess.sleep(Duration.ofSeconds(2));
    engine.restart();

    assertThat(awaitInspect("{{.State.Status}}", "keeper", "running", Duration.ofSeconds(20))).isEqualTo("running");
    assertThat(inspect("{{.State.Pid}}", "keeper")).isNotEqualTo(keeperPid);
    // A container the user stopped stays stopped, engine restart or not.
    assertThat(inspect("{{.State.Status}}", "parked")).isEqualTo("exited");

    docker.run("rm", "-f", "keeper", "parked").assertSuccess();
  }
}
