package dev.muelle.engine.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's docker-compose 1.29.2 (Python, docker-py) on the project in {@code src/it/compose}: a
 * built service that waits for a healthy one, a named volume, a user network and a published port,
 * from {@code up -d --build} to {@code down -v}. The tests run in order on one project.
 */
@EngineTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeIT {

  private static final String PROJECT = "muelleit";

  private static final int PORT = freePort();
  private static long upSince;

  private final DockerCli docker;

  ComposeIT(DockerCli docker) {
    this.docker = docker;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code docker-compose -p muelleit ARGS} in the project directory, killed when it overruns. */
  private static CliResult compose(DockerCli docker, Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("docker-compose", "--no-ansi", "-p", PROJECT));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(Fixtures.repo().resolve("engine-core/src/it/compose").toFile());
    pb.environment().putAll(docker.environment());
    pb.environment().put("WEB_PORT", Integer.toString(PORT));
    pb.environment().put("COMPOSE_DOCKER_CLI_BUILD", "0");
    return DockerCli.runToCompletion(pb, command, timeout, new java.io.File("/dev/null"));
  }

  private CliResult compose(String... args) {
    return compose(docker, Duration.ofSeconds(60), args);
  }

  @BeforeAll
  static void up(DockerCli docker) {
    upSince = java.time.Instant.now().getEpochSecond() - 1;
    compose(docker, Duration.ofMinutes(3), "up", "-d", "--build").assertSuccess();
  }

  @AfterAll
  static void down(DockerCli docker) {
    compose(docker, Duration.ofSeconds(60), "down", "-v", "--rmi", "local");
  }

  @Test
  @Order(1)
  void theWebServiceStartedOnlyOnceTheDatabaseWasHealthy() {
    String ps = compose("ps").assertSuccess().out();
    assertThat(ps).containsPattern(PROJECT + "_db_1 .* Up \\(healthy\\)");
    assertThat(ps).containsPattern(PROJECT + "_web_1 .* Up .*:" + PORT + "->8080/tcp");
    List<String> events = docker.run("events", "--since", Long.toString(upSince),
        "--until", Long.toString(java.time.Instant.now().getEpochSecond() + 1),
        "--filter", "label=com.docker.compose.project=" + PROJECT, "--format", "{{.Actor.Attributes.name}} {{.Action}}")
        .assertSuccess().out().lines().toList();
    assertThat(events).contains(PROJECT + "_db_1 health_status: healthy", PROJECT + "_web_1 start");
    assertThat(events.indexOf(PROJECT + "_db_1 health_status: healthy"))
        .isLessThan(events.indexOf(PROJECT + "_web_1 start"));
  }

  @Test
  @Order(2)
  void logsExecAndThePublishedPortWork() throws IOException {
    assertThat(compose("logs", "--no-color", "db").assertSuccess().out()).contains("db starting", "db ready");
    assertThat(compose("exec", "-T", "web", "cat", "/data/ready").assertSuccess().out()).isEqualTo("ready");
    assertThat(compose("exec", "-T", "web", "nslookup", "db").assertSuccess().out()).contains("Address");

    HttpURLConnection http = (HttpURLConnection) URI.create("http://127.0.0.1:" + PORT + "/").toURL().openConnection();
    http.setConnectTimeout(5000);
    http.setReadTimeout(5000);
    try {
      assertThat(http.getResponseCode()).isEqualTo(200);
      assertThat(new String(http.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("hello from compose\n");
    } finally {
      http.disconnect();
    }
  }

  @Test
  @Order(3)
  void downRemovesContainersNetworkAndVolume() {
    compose("down", "-v").assertSuccess();

    assertThat(docker.run("ps", "-a", "--filter", "label=com.docker.compose.project=" + PROJECT, "-q")
        .assertSuccess().out()).isEmpty();
    assertThat(docker.run("network", "ls", "--format", "{{.Name}}").assertSuccess().out().lines())
        .doesNotContain(PROJECT + "_backend", PROJECT + "_default");
    assertThat(docker.run("volume", "ls", "--format", "{{.Name}}").assertSuccess().out().lines())
        .doesNotContain(PROJECT + "_data");
  }
}
