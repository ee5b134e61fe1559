package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Networking outlives a crashed engine: after {@code kill -9} and a restart, a published port
 * still answers, names still resolve, and the port is still known to be taken. Muelle keeps
 * this because network namespaces, netavark's iptables rules and aardvark-dns do not depend on
 * the engine process (dockerd needs {@code --live-restore}, which the reference runs with).
 * Its own class because it kills the class's engine.
 */
@EngineTest
class NetworkRecoveryIT {

  @Test
  void publishedPortsAndNamesSurviveAnEngineCrash(Engine engine, DockerCli docker) {
    docker.run("network", "create", "r1").assertSuccess();
    docker.run(NetworkIT.withImage(List.of("run", "-d", "--name", "rweb", "--network", "r1", "-p", "18484:80")))
        .assertSuccess();
    docker.run("run", "-d", "--name", "rclient", "--network", "r1", "busybox", "sleep", "300").assertSuccess();
    assertThat(NetworkIT.fetch("http://127.0.0.1:18484/index.html")).isEqualTo("hello from busybox\n");

    engine.killHard();
    if (engine.kind() == Engine.Kind.DOCKERD) {
      // dockerd's orphaned containerd needs a moment before a new dockerd can take it over.
      EngineProcess.sleep(Duration.ofSeconds(7));
    }
    engine.restart();

    assertThat(NetworkIT.fetch("http://127.0.0.1:18484/index.html")).isEqualTo("hello from busybox\n");
    assertThat(docker.run("exec", "rclient", "wget", "-qO-", "http://rweb/index.html").assertSuccess().out())
        .isEqualTo("hello from busybox");
    assertThat(docker.run("port", "rweb", "80").out()).contains("0.0.0.0:18484");
    CliResult taken = docker.run("run", "-d", "-p", "18484:80", "busybox", "sleep", "30");
    assertThat(taken.stderr()).contains("port is already allocated");
  }

}
