package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docker commit, diff and export: a container's changes leave it as an image, a list or a tar. */
@EngineTest
class CommitIT {

  private final DockerCli docker;
  private final EngineHttp http;

  CommitIT(DockerCli docker, EngineHttp http) {
    this.docker = docker;
    this.http = http;
  }

  @Test
  void diffCommitAndExportSeeTheContainersChanges() throws IOException, InterruptedException {
    docker.run("run", "--name", "changed", "busybox", "sh", "-c",
        "echo new > /root/new && rm /bin/vi && mkdir /data && echo x > /data/x").assertSuccess();

    assertThat(docker.run("diff", "changed").assertSuccess().out().lines().toList())
        .contains("C /bin", "D /bin/vi", "A /data", "A /data/x", "C /root", "A /root/new")
        .doesNotContain("A /etc/hosts");

    String id = docker.run("commit", "--change", "CMD [\"cat\", \"/root/new\"]", "-m", "snapshot", "changed",
        "committed:v1").assertSuccess().out();
    assertThat(id).startsWith("sha256:");
    assertThat(docker.run("run", "--rm", "committed:v1").assertSuccess().stdout()).isEqualTo("new\n");
    CliResult vi = docker.run("run", "--rm", "committed:v1", "ls", "/bin/vi");
    assertThat(vi.exitCode()).isNotZero();
    assertThat(docker.run("image", "inspect", "-f", "{{len .RootFS.Layers}} {{.Comment}}", "committed:v1")
        .assertSuccess().out()).isEqualTo("2 snapshot");

    // The top layer holds only the change: save the image and list its last layer.
    List<String> top = topLayerEntries("committed:v1");
    assertThat(top).contains("root/new", "bin/.wh.vi", "data/x").allMatch(e -> e.startsWith("root")
        || e.startsWith("bin") || e.startsWith("data"));

    Process export = new ProcessBuilder("sh", "-c", "DOCKER_HOST=" + docker.dockerHost()
        + " docker export changed | tar t").redirectErrorStream(true).start();
    List<String> exported = new String(export.getInputStream().readAllBytes()).lines().toList();
    assertThat(export.waitFor()).isZero();
    assertThat(exported).contains("root/new", "data/x", "bin/sh").doesNotContain("bin/vi");

    docker.run("rm", "changed").assertSuccess();
  }

  private List<String> topLayerEntries(String image) throws IOException, InterruptedException {
    String script = "set -e; d=$(mktemp -d); DOCKER_HOST=" + docker.dockerHost() + " docker save " + image
        + " | tar x -C $d; l=$(sed 's/.*\"Layers\":\\[//; s/\\].*//' $d/manifest.json | tr ',' '\\n' | tail -1"
        + " | tr -d '\"'); tar tf $d/$l; rm -rf $d";
    Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    List<String> out = new String(p.getInputStream().readAllBytes()).lines()
        .map(l -> l.endsWith("/") ? l.substring(0, l.length() - 1) : l).toList();
    assertThat(p.waitFor()).as(String.join("\n", out)).isZero();
    return out;
  }
}
