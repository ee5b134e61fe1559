package dev.muelle.engine.it;

import static dev.muelle.engine.it.RegistryIT.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A registry behind TLS (certificate from a CA made by the test) and htpasswd basic auth:
 * {@code docker login} with a wrong password is refused in dockerd's words, pushing without
 * credentials says {@code no basic auth credentials}, and after a login push and pull work with
 * the credentials the CLI sends in {@code X-Registry-Auth}.
 */
@EngineTest
class RegistryAuthIT {

  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret-pw";
  private static LocalRegistry registry;

  @BeforeAll
  static void startRegistry() {
    registry = LocalRegistry.secured(USER, PASSWORD);
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void loginThenPushAndPullOverTlsWithBasicAuth(Engine engine, DockerCli docker) {
    String host = registry.host();
    String image = host + "/private/bb:1";
    Fixtures.loadBusybox(docker);
    docker.run("tag", "busybox", image).assertSuccess();
    try {
      assertFails(docker.run("login", "-u", USER, "-p", "wrong", host),
          "Error response from daemon: login attempt to https://" + host + "/v2/ failed with status: 401 Unauthorized");

      CliResult anonymous = docker.run("push", image);
      assertThat(anonymous.exitCode()).isNotZero();
      assertThat(anonymous.stdout() + anonymous.stderr()).contains("no basic auth credentials").doesNotContain("Exception");
      if (engine.kind() == Engine.Kind.MUELLE) {
        // dockerd falls back to plain HTTP on a loopback registry and reports that failure instead
        assertFails(docker.run("pull", image), "Error response from daemon: Get \"https://" + host
            + "/v2/private/bb/manifests/1\": no basic auth credentials");
      }

      assertThat(docker.run("login", "-u", USER, "-p", PASSWORD, host).assertSuccess().out()).contains("Login Succeeded");
      CliResult push = docker.run(Duration.ofMinutes(2), "push", image).assertSuccess();
      String digest = registry.manifestDigest("private/bb", "1", USER, PASSWORD);
      assertThat(push.out()).contains("1: digest: " + digest);

      docker.run("rmi", image).assertSuccess();
      assertThat(docker.run(Duration.ofMinutes(2), "pull", image).assertSuccess().out()).contains("Digest: " + digest);
      assertThat(docker.run("run", "--rm", image, "echo", "pulled over tls").assertSuccess().out())
          .isEqualTo("pulled over tls");
    } finally {
      docker.run("logout", host);
      docker.run("rmi", image);
    }
  }
}
