package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Containers outlive a crashed engine: after {@code kill -9} of the engine, containers keep
 * running under their monitors, and the restarted engine finds them again, including the exit
 * code of one that ended while the engine was down.
 *
 * <p>Muelle gets this from conmon; the reference dockerd runs with {@code --live-restore} for the
 * same effect, so the test can be checked against it.
 */
@EngineTest
class RecoveryIT {

  @Test
  void containersSurviveAnEngineCrashAndAreRecoveredOnRestart(Engine engine, DockerCli docker) {
    docker.run("run", "-d", "--name", "ticker", "busybox",
        "sh", "-c", "while true; do echo tick; sleep 1; done").assertSuccess();
    docker.run("run", "-d", "--name", "sleeper", "busybox", "sleep", "300").assertSuccess();
    docker.run("run", "-d", "--name", "quitter", "busybox", "sh", "-c", "sleep 5; exit 7").assertSuccess();

    engine.killHard();
    EngineProcess.sleep(Duration.ofSeconds(7));
    engine.restart();

    assertThat(docker.run("ps", "--format", "{{.Names}}").assertSuccess().out().lines())
        .containsExactlyInAnyOrder("ticker", "sleeper");
    assertThat(docker.run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "quitter").assertSuccess().out())
        .isEqualTo("exited 7");
    assertThat(docker.run("ps", "-a", "--filter", "name=quitter", "--format", "{{.Status}}").out())
        .startsWith("Exited (7)");

    assertThat(docker.run("logs", "ticker").assertSuccess().stdout()).contains("tick\n");
    assertThat(docker.run("exec", "sleeper", "echo", "alive").assertSuccess().out()).isEqualTo("alive");

    docker.run("stop", "-t", "1", "ticker", "sleeper").assertSuccess();
    assertThat(docker.run("inspect", "-f", "{{.State.Status}}", "ticker", "sleeper").out().lines())
        .containsExactly("exited", "exited");
  }
}
