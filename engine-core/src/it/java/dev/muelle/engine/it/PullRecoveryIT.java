package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine killed with {@code -9} in the middle of a pull (some layers unpacked, the image not
 * yet recorded) shows no broken image after a restart, keeps no layer that nothing uses, and the
 * same pull then succeeds.
 */
@EngineTest
class PullRecoveryIT {

  private static long size(DockerCli docker, String image) {
    return Long.parseLong(docker.run("image", "inspect", "-f", "{{.Size}}", image).assertSuccess().out());
  }

  @Test
  void engineKilledMidPullLeavesNoBrokenImageAndThePullFinishesAfterRestart(Engine engine, DockerCli docker,
      EngineHttp http, @TempDir Path work) {
    try (LocalRegistry registry = LocalRegistry.plain()) {
      String image = registry.host() + "/big:1";
      Path tar = Fixtures.layeredTar(work, image, Fixtures.busyboxTar(), "big", 48 << 20, 48 << 20, 48 << 20,
          48 << 20, 48 << 20);
      docker.run(Duration.ofMinutes(3), "load", "-i", tar.toString()).assertSuccess();
      String id = RegistryIT.imageId(docker, image);
      docker.run(Duration.ofMinutes(5), "push", image).assertSuccess();
      docker.run("rmi", image).assertSuccess();
      long before = http.get("/system/df").json().path("LayersSize").asLong(); // busybox's layer, shared

      try (RunningCommand pull = docker.spawn("pull", image)) {
        pull.expect("Pull complete", Duration.ofMinutes(2)); // the first layer is in; the others are not
        engine.killHard();
        assertThat(pull.output()).as("the pull must not have finished before the kill").doesNotContain("Digest:");
      }
      EngineProcess.sleep(Duration.ofSeconds(3)); // the reference dockerd's containerd needs a moment to settle
      engine.restart();

      assertThat(docker.run("images", "-a", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").assertSuccess().out())
          .doesNotContain("big").doesNotContain(id.substring(7, 19));
      assertThat(docker.run("image", "inspect", image).exitCode()).isNotZero();

      int fetchedBefore = registry.blobDownloads().size();
      assertThat(docker.run(Duration.ofMinutes(5), "pull", image).assertSuccess().out())
          .contains("Status: Downloaded newer image for " + image);
      if (engine.kind() == Engine.Kind.MUELLE) {
        // Blobs verified before the kill are kept: the second pull fetches only what was missing.
        assertThat(registry.blobDownloads().size() - fetchedBefore).isLessThan(7); // config + 6 layers
      }
      assertThat(RegistryIT.imageId(docker, image)).isEqualTo(id);
      assertThat(docker.run("run", "--rm", image, "sh", "-c", "ls /data | wc -l").assertSuccess().out()).isEqualTo("5");
      // Every layer is the image's: nothing the killed pull unpacked was left behind unused.
      assertThat(http.get("/system/df").json().path("LayersSize").asLong())
          .isEqualTo(before + size(docker, image) - size(docker, "busybox"));
      docker.run("rmi", image).assertSuccess();
    }
  }
}
