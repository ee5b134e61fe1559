package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A container's life through the docker CLI: run -d, logs, stop/start/restart, ps, inspect, rm. */
@EngineTest
class LifecycleIT {

  private final Engine engine;
  private final DockerCli docker;

  LifecycleIT(Engine engine, DockerCli docker) {
    this.engine = engine;
    this.docker = docker;
  }

  private String inspect(String format, String container) {
    return docker.run("inspect", "-f", format, container).assertSuccess().out();
  }

  private String runDetached(String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "run";
    full[1] = "-d";
    System.arraycopy(args, 0, full, 2, args.length);
    return docker.run(full).assertSuccess().out();
  }

  @Test
  void logsFollowSeesLinesWrittenLater() {
    runDetached("--name", "logger", "busybox", "sh", "-c",
        "i=0; while true; do echo line-$i; i=$((i+1)); sleep 0.3; done");

    try (RunningCommand logs = docker.spawn("logs", "-f", "logger")) {
      logs.expect("line-0\n", Duration.ofSeconds(20));
      logs.expect("line-5\n", Duration.ofSeconds(20));
    }
    docker.run("rm", "-f", "logger").assertSuccess();
  }

  @Test
  void stopStartAndRestartChangeTheState() {
    runDetached("--name", "cycler", "busybox", "sleep", "300");
    String firstPid = inspect("{{.State.Pid}}", "cycler");

    // sleep as pid 1 ignores SIGTERM, so stop ends it with SIGKILL after the timeout: 137.
    docker.run("stop", "-t", "1", "cycler").assertSuccess();
    assertThat(inspect("{{.State.Status}} {{.State.ExitCode}} {{.State.Pid}}", "cycler")).isEqualTo("exited 137 0");

    docker.run("start", "cycler").assertSuccess();
    assertThat(inspect("{{.State.Status}}", "cycler")).isEqualTo("running");
    String startedAt = inspect("{{.State.StartedAt}}", "cycler");
    assertThat(inspect("{{.State.Pid}}", "cycler")).isNotEqualTo(firstPid).isNotEqualTo("0");

    docker.run("restart", "-t", "1", "cycler").assertSuccess();
    assertThat(inspect("{{.State.Status}}", "cycler")).isEqualTo("running");
    assertThat(Instant.parse(inspect("{{.State.StartedAt}}", "cycler"))).isAfter(Instant.parse(startedAt));

    docker.run("rm", "-f", "cycler").assertSuccess();
  }

  @Test
  void rmRemovesAStoppedContainerAndRefusesARunningOne() {
    String id = runDetached("--name", "doomed", "busybox", "sleep", "300");

    CliResult refused = docker.run("rm", "doomed");
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    // dockerd 20.10's wording; Docker 25+ (and Muelle, which follows API 1.47) says it as below.
    if (engine.kind() == Engine.Kind.DOCKERD) {
      assertThat(refused.stderr()).contains("You cannot remove a running container " + id
          + ". Stop the container before attempting removal or force remove");
    } else {
      assertThat(refused.stderr()).contains("cannot remove container \"/doomed\": container is running: "
          + "stop the container before removing or force remove");
    }

    docker.run("rm", "-f", "doomed").assertSuccess();
    CliResult gone = docker.run("inspect", "doomed");
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.stderr()).containsIgnoringCase("no such object: doomed");
  }

  @Test
  void psFiltersByStatusNameLabelAncestorAndExitCode() {
    runDetached("--name", "ps_up", "--label", "team=blue", "busybox", "sleep", "300");
    runDetached("--name", "ps_three", "busybox", "sh", "-c", "exit 3");
    docker.run("wait", "ps_three").assertSuccess();
    docker.run("create", "--name", "ps_new", "busybox", "true").assertSuccess();

    assertThat(names("status=running")).containsExactly("ps_up");
    assertThat(names("status=exited")).containsExactly("ps_three");
    assertThat(names("status=created")).containsExactly("ps_new");
    assertThat(names("exited=3")).containsExactly("ps_three");
    assertThat(names("label=team=blue")).containsExactly("ps_up");
    assertThat(names("ancestor=busybox")).containsExactlyInAnyOrder("ps_up", "ps_three", "ps_new");
    // Filters on the same key are ORed, so the name filter is checked on its own.
    assertThat(docker.run("ps", "-a", "--filter", "name=ps_new", "--format", "{{.Names}}").out()).isEqualTo("ps_new");
    assertThat(docker.run("ps", "--filter", "name=ps_", "--format", "{{.Names}}").out().lines())
        .as("ps without -a lists running containers only").containsExactly("ps_up");

    docker.run("rm", "-f", "ps_up", "ps_three", "ps_new").assertSuccess();
  }

  /** Names of all containers (ps -a) that match the filter, among this test's ps_* ones. */
  private List<String> names(String filter) {
    return docker.run("ps", "-a", "--filter", "name=ps_", "--filter", filter, "--format", "{{.Names}}")
        .assertSuccess().out().lines().toList();
  }

  @Test
  void inspectReportsTheRunningProcess() {
    Instant before = Instant.now().minusSeconds(2);
    runDetached("--name", "inspected", "busybox", "sleep", "300");

    assertThat(inspect("{{.State.Status}} {{.State.Running}} {{.State.ExitCode}}", "inspected"))
        .isEqualTo("running true 0");
    long pid = Long.parseLong(inspect("{{.State.Pid}}", "inspected"));
    assertThat(ProcessHandle.of(pid)).as("host process %d", pid).isPresent();
    assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse("")).endsWith("busybox");
    assertThat(Instant.parse(inspect("{{.State.StartedAt}}", "inspected")))
        .isBetween(before, Instant.now().plusSeconds(2));

    docker.run("rm", "-f", "inspected").assertSuccess();
  }

  @Test
  void statsAndTopDescribeARunningContainer() {
    runDetached("--name", "watched", "-m", "64M", "busybox", "sleep", "300");

    CliResult stats = docker.run("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}", "watched").assertSuccess();
    assertThat(stats.out()).startsWith("watched ").contains("/ 64MiB");

    CliResult top = docker.run("top", "watched").assertSuccess();
    assertThat(top.stdout()).contains("PID").contains("sleep 300");

    docker.run("rm", "-f", "watched").assertSuccess();
  }

  @Test
  void eventsBetweenSinceAndUntilIncludeCreateStartAndDie() {
    long since = Instant.now().getEpochSecond() - 1;
    docker.run("run", "--name", "eventful", "busybox", "true").assertSuccess();
    long until = Instant.now().getEpochSecond() + 1;

    CliResult events = docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
        "--filter", "container=eventful", "--format", "{{.Type}} {{.Action}}").assertSuccess();

    assertThat(events.out().lines()).contains("container create", "container start", "container die");
    docker.run("rm", "eventful").assertSuccess();
  }

  @Test
  void restartAlwaysBringsAKilledContainerBack() {
    runDetached("--name", "phoenix", "--restart", "always", "busybox", "sleep", "300");
    long pid = Long.parseLong(inspect("{{.State.Pid}}", "phoenix"));

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    Instant deadline = Instant.now().plusSeconds(30);
    String state;
    do {
      EngineProcess.sleep(Duration.ofMillis(200));
      state = inspect("{{.State.Running}} {{.State.Pid}} {{.RestartCount}}", "phoenix");
    } while (!isRestarted(state, pid) && Instant.now().isBefore(deadline));
    assertThat(isRestarted(state, pid)).as("running, new pid, restart count >= 1: " + state).isTrue();

    docker.run("rm", "-f", "phoenix").assertSuccess();
  }

  private static boolean isRestarted(String state, long oldPid) {
    String[] f = state.split(" ");
    return f[0].equals("true") && !f[1].equals("0") && Long.parseLong(f[1]) != oldPid && Integer.parseInt(f[2]) >= 1;
  }
}
