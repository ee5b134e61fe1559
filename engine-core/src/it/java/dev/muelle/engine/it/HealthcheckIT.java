package dev.muelle.engine.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HEALTHCHECK probes as dockerd 20.10 runs them: State.Health through starting, unhealthy and
 * healthy, the last five results, health_status events, {@code docker ps} status and its health
 * filter, probe timeouts, the start period, --no-healthcheck, and what a stopped container shows.
 */
@EngineTest
class HealthcheckIT {

  private final Engine engine;
  private final DockerCli docker;
  private final EngineHttp http;

  HealthcheckIT(Engine engine, DockerCli docker, EngineHttp http) {
    this.engine = engine;
    this.docker = docker;
    this.http = http;
  }

  private String inspect(String format, String name) {
    return docker.inspect(format, name);
  }

  private String await(String format, String name, String expected, Duration timeout) {
    return docker.awaitInspect(format, name, expected, timeout);
  }

  private String psStatus(String name) {
    return docker.run("ps", "-a", "--filter", "name=^" + name + "$", "--format", "{{.Status}}").assertSuccess().out();
  }

  @Test
  void probesTakeAContainerFromStartingToUnhealthyToHealthy() {
    long since = Instant.now().getEpochSecond() - 1;
    docker.run("run", "-d", "--name", "probed", "--health-cmd", "echo hi; test -f /tmp/ok", "--health-interval", "1s",
        "--health-retries", "2", "--health-timeout", "2s", "busybox", "sleep", "300").assertSuccess();

    assertThat(inspect("{{json .State.Health}}", "probed"))
        .isEqualTo("{\"Status\":\"starting\",\"FailingStreak\":0,\"Log\":[]}");
    assertThat(psStatus("probed")).matches("Up .* \\(health: starting\\)");

    assertThat(await("{{.State.Health.Status}}", "probed", "unhealthy", Duration.ofSeconds(15))).isEqualTo("unhealthy");
    assertThat(psStatus("probed")).matches("Up .* \\(unhealthy\\)");
    assertThat(inspect("{{with index .State.Health.Log 0}}{{.ExitCode}} {{json .Output}}{{end}}", "probed"))
        .isEqualTo("1 \"hi\\n\"");

    docker.run("exec", "probed", "touch", "/tmp/ok").assertSuccess();
    assertThat(await("{{.State.Health.Status}} {{.State.Health.FailingStreak}}", "probed", "healthy 0",
        Duration.ofSeconds(15))).isEqualTo("healthy 0");
    assertThat(psStatus("probed")).matches("Up .* \\(healthy\\)");
    assertThat(docker.run("ps", "--filter", "health=healthy", "--format", "{{.Names}}").assertSuccess().out().lines())
        .contains("probed");
    assertThat(docker.run("ps", "--filter", "health=unhealthy", "--format", "{{.Names}}").assertSuccess().out().lines())
        .doesNotContain("probed");
    assertThat(docker.run("ps", "--filter", "health=bogus").stderr())
        .contains("Unrecognised filter value for health: bogus");

    // Only the last five results are kept.
    assertThat(await("{{len .State.Health.Log}}", "probed", "5", Duration.ofSeconds(15))).isEqualTo("5");
    EngineProcess.sleep(Duration.ofMillis(2500));
    assertThat(inspect("{{len .State.Health.Log}}", "probed")).isEqualTo("5");

    long until = Instant.now().getEpochSecond() + 1;
    assertThat(docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
        "--filter", "container=probed", "--filter", "event=health_status", "--format", "{{.Action}}")
        .assertSuccess().out().lines().distinct())
        .containsExactly("health_status: unhealthy", "health_status: healthy");
    docker.run("rm", "-f", "probed").assertSuccess();
  }

  @Test
  void aStoppedContainerShowsUnhealthyStopsProbingAndStartsOverWhenStarted() {
    docker.run("run", "-d", "--name", "halted", "--health-cmd", "true", "--health-interval", "1s",
        "busybox", "sleep", "300").assertSuccess();
    assertThat(await("{{.State.Health.Status}}", "halted", "healthy", Duration.ofSeconds(15))).isEqualTo("healthy");

    docker.run("stop", "-t", "1", "halted").assertSuccess();

    String log = inspect("{{json .State.Health.Log}}", "halted");
    assertThat(inspect("{{.State.Health.Status}} {{.State.Health.FailingStreak}}", "halted")).isEqualTo("unhealthy 0");
    assertThat(psStatus("halted")).startsWith("Exited (");
    EngineProcess.sleep(Duration.ofMillis(2500));
    assertThat(inspect("{{json .State.Health.Log}}", "halted")).as("no probe runs while stopped").isEqualTo(log);

    docker.run("start", "halted").assertSuccess();
    assertThat(inspect("{{.State.Health.Status}} {{.State.Health.FailingStreak}} {{json .State.Health.Log}}", "halted"))
        .isEqualTo("starting 0 " + log);
    docker.run("rm", "-f", "halted").assertSuccess();
  }

  @Test
  void aProbeThatOutlivesItsTimeoutIsKilledAndFails() {
    docker.run("run", "-d", "--name", "slowpoke", "--health-cmd", "sleep 60", "--health-interval", "1s",
        "--health-timeout", "1s", "--health-retries", "1", "busybox", "sleep", "300").assertSuccess();

    assertThat(await("{{.State.Health.Status}}", "slowpoke", "unhealthy", Duration.ofSeconds(15))).isEqualTo("unhealthy");
    assertThat(inspect("{{with index .State.Health.Log 0}}{{.ExitCode}} {{.Output}}{{end}}", "slowpoke"))
        .isEqualTo("-1 Health check exceeded timeout (1s)");
    // Killed probes don't pile up: at most the one in flight is left.
    EngineProcess.sleep(Duration.ofSeconds(3));
    String ps = docker.run("exec", "slowpoke", "ps", "-o", "args").assertSuccess().out();
    assertThat(ps.lines().filter(l -> l.contains("sleep 60")).count()).as(ps).isLessThanOrEqualTo(1);
    docker.run("rm", "-f", "slowpoke").assertSuccess();
  }

  @Test
  void impossibleSettingsAreRefused() {
    assertThat(docker.run("create", "--health-cmd", "true", "--health-interval", "500us", "busybox").stderr())
        .contains("Interval in Healthcheck cannot be less than 1ms");
    assertThat(docker.run("create", "--health-cmd", "true", "--health-timeout", "10us", "busybox").stderr())
        .contains("Timeout in Healthcheck cannot be less than 1ms");
    assertThat(docker.run("create", "--health-cmd", "true", "--health-start-period", "1ns", "busybox").stderr())
        .contains("StartPeriod in Healthcheck cannot be less than 1ms");
    assertThat(http.postJson("/containers/create",
        "{\"Image\":\"busybox\",\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Retries\":-1}}"))
        .satisfies(r -> {
          assertThat(r.status()).isEqualTo(400);
          assertThat(r.message()).isEqualTo("Retries in Healthcheck cannot be negative");
        });
  }

  @Test
  void failuresWithinTheStartPeriodDoNotCount() {
    docker.run("run", "-d", "--name", "warming", "--health-cmd", "false", "--health-interval", "1s",
        "--health-retries", "1", "--health-start-period", "60s", "busybox", "sleep", "300").assertSuccess();

    assertThat(await("{{len .State.Health.Log}}", "warming", "2", Duration.ofSeconds(15))).isEqualTo("2");
    assertThat(inspect("{{.State.Health.Status}} {{.State.Health.FailingStreak}}", "warming")).isEqualTo("starting 0");
    assertThat(docker.run("ps", "--filter", "health=starting", "--format", "{{.Names}}").assertSuccess().out().lines())
        .contains("warming");
    docker.run("rm", "-f", "warming").assertSuccess();
  }

  @Test
  void theImageHealthcheckAppliesUnlessTurnedOff() throws IOException {
    Path context = Files.createTempDirectory("health-it");
    try {
      Files.writeString(context.resolve("Dockerfile"),
          "FROM busybox\nHEALTHCHECK --interval=1s --retries=1 CMD test -e /etc/passwd\nCMD [\"sleep\", \"300\"]\n");
      docker.run(Duration.ofMinutes(2), "build", "-q", "-t", "checked:1", context.toString()).assertSuccess();
    } finally {
      try (var files = Files.walk(context)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }

    docker.run("run", "-d", "--name", "inherits", "checked:1").assertSuccess();
    docker.run("run", "-d", "--name", "optout", "--no-healthcheck", "checked:1").assertSuccess();

    assertThat(await("{{.State.Health.Status}}", "inherits", "healthy", Duration.ofSeconds(15))).isEqualTo("healthy");
    assertThat(inspect("{{json .Config.Healthcheck.Test}}", "inherits")).isEqualTo("[\"CMD-SHELL\",\"test -e /etc/passwd\"]");
    // dockerd merges the image's settings under the user's NONE, and NONE wins.
    assertThat(inspect("{{json .Config.Healthcheck}} {{json .State.Health}}", "optout"))
        .isEqualTo("{\"Test\":[\"NONE\"],\"Interval\":1000000000,\"Retries\":1} null");
    assertThat(psStatus("optout")).doesNotContain("health");
    assertThat(docker.run("ps", "--filter", "health=none", "--format", "{{.Names}}").assertSuccess().out().lines())
        .contains("optout").doesNotContain("inherits");
    docker.run("rm", "-f", "inherits", "optout").assertSuccess();
  }

  /**
   * A deliberate difference: dockerd 20.10 with --live-restore does not probe the containers it
   * restores (their health freezes), Muelle carries on probing the containers it adopts.
   */
  @Test
  void probingResumesAfterAnEngineRestart() {
    org.junit.jupiter.api.Assumptions.assumeTrue(engine.kind() == Engine.Kind.MUELLE,
        "dockerd 20.10 does not resume healthchecks after a live-restore");
    docker.run("run", "-d", "--name", "survivor", "--health-cmd", "test -f /tmp/ok", "--health-interval", "1s",
        "--health-retries", "1", "busybox", "sleep", "300").assertSuccess();
    assertThat(await("{{.State.Health.Status}}", "survivor", "unhealthy", Duration.ofSeconds(15))).isEqualTo("unhealthy");

    engine.restart();
    docker.run("exec", "survivor", "touch", "/tmp/ok").assertSuccess();

    assertThat(await("{{.State.Health.Status}}", "survivor", "healthy", Duration.ofSeconds(20))).isEqualTo("healthy");
    docker.run("rm", "-f", "survivor").assertSuccess();
  }
}
