package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bearer-token flow against a real registry configured for token auth and a {@link
 * TokenServer}: anonymous pulls are refused, a wrong password is refused at login, and after a
 * login push and pull work with tokens scoped to the repository ({@code pull,push} for a push).
 */
@EngineTest
class RegistryTokenAuthIT {

  private static final String USER = "bob";
  private static final String PASSWORD = "t0ken-pw";
  @TempDir
  static Path work;
  private static TokenServer tokens;
  private static LocalRegistry registry;

  @BeforeAll
  static void start() {
    tokens = TokenServer.start(work, USER, PASSWORD);
    registry = LocalRegistry.withTokenAuth(tokens);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  @Test
  void loginPushAndPullWithScopedTokens(DockerCli docker) {
    String host = registry.host();
    String image = host + "/tok/bb:1";
    Fixtures.loadBusybox(docker);
    docker.run("tag", "busybox", image).assertSuccess();
    try {
      RegistryIT.assertFails(docker.run("pull", image), "Error response from daemon: pull access denied for " + host
          + "/tok/bb, repository does not exist or may require 'docker login': denied: requested access to the resource is denied");
      RegistryIT.assertFails(docker.run("login", "-u", USER, "-p", "wrong", host),
          "Error response from daemon: Get \"http://" + host + "/v2/\": unauthorized: incorrect username or password");

      assertThat(docker.run("login", "-u", USER, "-p", PASSWORD, host).assertSuccess().out()).contains("Login Succeeded");
      CliResult push = docker.run(Duration.ofMinutes(2), "push", image).assertSuccess();
      assertThat(push.out()).contains("1: digest: sha256:");
      assertThat(tokens.scopesAsked()).anyMatch(s -> s.matches("repository:tok/bb:(pull,push|push,pull)"));

      docker.run("rmi", image).assertSuccess();
      assertThat(docker.run(Duration.ofMinutes(2), "pull", image).assertSuccess().out())
          .contains("Status: Downloaded newer image for " + image);
      assertThat(tokens.scopesAsked()).contains("repository:tok/bb:pull");
      assertThat(docker.run("run", "--rm", image, "echo", "token ok").assertSuccess().out()).isEqualTo("token ok");
    } finally {
      docker.run("logout", host);
      docker.run("rmi", image);
    }
  }
}
