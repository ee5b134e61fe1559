package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker image prune} removes dangling images, with {@code -a} every image no container
 * uses, and never one a container uses; {@code docker system df} reports real sizes.
 */
@EngineTest
class ImagePruneIT {

  @Test
  void pruneRemovesDanglingThenUnusedImagesButNotThoseInUse(DockerCli docker, @TempDir Path work) throws IOException {
    try {
      Fixtures.loadBusybox(docker);
      docker.run("create", "--name", "prune-user", "busybox", "true").assertSuccess();
      docker.run("load", "-i", Fixtures.layeredTar(work, "prune/app:1", Fixtures.busyboxTar(), "old", 200_000)
          .toString()).assertSuccess();
      String old = RegistryIT.imageId(docker, "prune/app:1");
      Files.delete(work.resolve("prune_app_1.tar"));
      docker.run("load", "-i", Fixtures.layeredTar(work, "prune/app:1", Fixtures.busyboxTar(), "new", 300_000)
          .toString()).assertSuccess();
      String current = RegistryIT.imageId(docker, "prune/app:1");
      assertThat(current).isNotEqualTo(old);

      CliResult dangling = docker.run("image", "prune", "-f").assertSuccess();
      assertThat(dangling.out()).contains("deleted: " + old).containsPattern("Total reclaimed space: 20[0-9.]*kB");
      assertThat(docker.run("image", "inspect", old).exitCode()).isNotZero();
      assertThat(RegistryIT.imageId(docker, "prune/app:1")).isEqualTo(current);

      CliResult all = docker.run("image", "prune", "-a", "-f").assertSuccess();
      assertThat(all.out()).contains("untagged: prune/app:1").contains("deleted: " + current);
      assertThat(docker.run("image", "inspect", "busybox").exitCode()).isZero();
    } finally {
      docker.run("rm", "-f", "prune-user");
    }
  }

  @Test
  void systemDfCountsImagesAndTheirLayersOnce(DockerCli docker, EngineHttp http) {
    Fixtures.loadBusybox(docker);
    docker.run("tag", "busybox", "df-copy:1").assertSuccess();
    var df = http.get("/system/df").json();
    long busyboxSize = Long.parseLong(docker.run("image", "inspect", "-f", "{{.Size}}", "busybox").assertSuccess().out());
    assertThat(busyboxSize).isPositive();
    assertThat(df.path("LayersSize").asLong()).isGreaterThanOrEqualTo(busyboxSize);
    assertThat(df.path("Images").findValuesAsText("Id")).contains(RegistryIT.imageId(docker, "busybox"));
    assertThat(docker.run("system", "df", "--format", "{{.Type}} {{.TotalCount}}").assertSuccess().out().lines())
        .anyMatch(l -> l.startsWith("Images ") && !l.equals("Images 0"));
    docker.run("rmi", "df-copy:1").assertSuccess();
  }
}
