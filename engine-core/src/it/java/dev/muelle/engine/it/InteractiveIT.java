package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The terminal story from the product brief, in order: {@code docker run -it} with memory and
 * CPU limits gives a shell that sees its cgroup limits; Ctrl-P Ctrl-Q detaches and leaves it
 * running; {@code docker exec -it} gets a second shell; {@code docker attach} gets the first back.
 */
@EngineTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InteractiveIT {

  private static final Duration PROMPT = Duration.ofSeconds(30);
  private static final String NAME = "spark_docker";

  /**
   * Prints the limits the shell's cgroup enforces, whichever cgroup version the host runs:
   * v1 splits quota and period into two files, v2 has them in one {@code cpu.max}.
   */
  private static final String PRINT_LIMITS = "if [ -f /sys/fs/cgroup/memory.max ]; "
      + "then echo mem=$(cat /sys/fs/cgroup/memory.max) cpu=$(cat /sys/fs/cgroup/cpu.max); "
      + "else echo mem=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
      + " cpu=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us); fi";

  @Test
  @Order(1)
  void runItGivesAShellWithinItsLimitsAndDetachLeavesItRunning(DockerCli docker) {
    try (PtySession shell = docker.spawnInTerminal(
        "run", "-it", "--name", NAME, "-m", "1024M", "--cpus", "1", "busybox")) {
      shell.expect("# ", PROMPT);

      shell.typeLine(PRINT_LIMITS);
      shell.expect("mem=1073741824", PROMPT);
      shell.expect("cpu=100000 100000", PROMPT);

      assertThat(shell.detach(Duration.ofSeconds(15))).as(shell.output()).isZero();
    }
    assertThat(docker.run("inspect", "-f", "{{.State.Running}}", NAME).assertSuccess().out()).isEqualTo("true");
  }

  @Test
  @Order(2)
  void execItRunsASecondShell(DockerCli docker) {
    try (PtySession shell = docker.spawnInTerminal("exec", "-it", NAME, "sh")) {
      shell.expect("# ", PROMPT);

      shell.typeLine("echo $((6*7))");
      shell.expect("42", PROMPT);

      shell.typeLine("exit");
      assertThat(shell.awaitExit(Duration.ofSeconds(15))).as(shell.output()).isZero();
    }
    assertThat(docker.run("inspect", "-f", "{{.State.Running}}", NAME).out()).isEqualTo("true");
  }

  @Test
  @Order(3)
  void attachGetsTheFirstShellBack(DockerCli docker) {
    try (PtySession shell = docker.spawnInTerminal("attach", NAME)) {
      // attach shows no new prompt until something is typed.
      shell.typeLine("echo attached-$((40+2))");
      shell.expect("attached-42", PROMPT);

      // Unlike run -it, a detached attach reports the escape as an error (the CLI decides this).
      assertThat(shell.detach(Duration.ofSeconds(15))).as(shell.output()).isEqualTo(1);
      assertThat(shell.output()).contains("read escape sequence");
    }
    assertThat(docker.run("inspect", "-f", "{{.State.Running}}", NAME).out()).isEqualTo("true");
  }

  @Test
  @Order(4)
  void theLimitsAreVisibleInInspect(DockerCli docker) {
    String limits = docker.run("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}", NAME)
        .assertSuccess().out();

    assertThat(limits).isEqualTo("1073741824 1000000000");
  }

  @AfterAll
  static void removeTheContainer(DockerCli docker) {
    docker.run("rm", "-f", NAME);
  }
}
