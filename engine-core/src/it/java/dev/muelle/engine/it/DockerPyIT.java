package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients other than the CLI work unchanged: Debian's docker-py (python3-docker 5.0.3) runs
 * {@code src/it/python/docker_py_client.py} against the engine — system calls, containers (run,
 * logs, exec, stats, wait, remove), images (pull from a local registry, build, tag, remove),
 * volumes, networks and filtered events, with every stream read both decoded and chunk by chunk
 * as docker-py hands raw chunks to its callers.
 */
@EngineTest
class DockerPyIT {

  /** Debian's interpreter, so Debian's python3-docker is imported, not one a pyenv may carry. */
  private static final String PYTHON = "/usr/bin/python3";
  private static final Duration LIMIT = Duration.ofMinutes(4);

  private static LocalRegistry registry;
  @TempDir
  static Path work;

  @BeforeAll
  static void startRegistry() {
    registry = LocalRegistry.plain();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void dockerPyClientWorksUnchanged(DockerCli docker, Engine engine) throws Exception {
    String image = registry.host() + "/pybox:latest";
    docker.run("tag", "busybox", image).assertSuccess();
    docker.run(Duration.ofMinutes(2), "push", image).assertSuccess();
    docker.run("rmi", image).assertSuccess();

    Path script = Fixtures.repo().resolve("engine-core/src/it/python/docker_py_client.py");
    Path output = work.resolve("docker-py.log");
    ProcessBuilder builder = new ProcessBuilder(PYTHON, "-I", script.toString())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().put("DOCKER_HOST", engine.dockerHost());
    builder.environment().put("REGISTRY_IMAGE", image);
    Process python = builder.start();
    try {
      boolean exited = python.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      String log = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(exited).as("docker-py script finished within " + LIMIT + ":\n" + log).isTrue();
      assertThat(python.exitValue()).as(log).isZero();
      assertThat(log).contains("docker-py 5.0.3 from /usr/lib/python3/dist-packages/docker",
          "docker-py: all checks passed");
    } finally {
      python.descendants().forEach(ProcessHandle::destroyForcibly);
      python.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
