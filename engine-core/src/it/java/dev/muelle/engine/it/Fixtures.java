package dev.muelle.engine.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Test images built from this repository's {@code fixtures/} scripts (no registry is needed).
 *
 * <p>The busybox image is built once per build into {@code engine-core/target/fixtures} and
 * rebuilt when its script changes; its image ID is reproducible.
 */
public final class Fixtures {

  private Fixtures() {}

  /** The repository root: {@code muelle.repo} from failsafe, else found above the working dir. */
  public static Path repo() {
    String configured = System.getProperty("muelle.repo");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("fixtures/busybox/build-image"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find the repository root; set -Dmuelle.repo=...");
  }

  /** {@code busybox:latest} as a docker-archive tar, built on first use. */
  public static synchronized Path busyboxTar() {
    Path script = repo().resolve("fixtures/busybox/build-image");
    Path tar = repo().resolve("engine-core/target/fixtures/busybox.tar");
    try {
      if (Files.exists(tar)
          && Files.getLastModifiedTime(tar).compareTo(Files.getLastModifiedTime(script)) > 0) {
        return tar;
      }
      Process build = new ProcessBuilder(script.toString(), tar.toString())
          .redirectErrorStream(true).start();
      String output = new String(build.getInputStream().readAllBytes());
      if (!build.waitFor(2, TimeUnit.MINUTES) || build.exitValue() != 0) {
        throw new IllegalStateException(script + " failed:\n" + output);
      }
      return tar;
    } catch (IOException e) {
      throw new IllegalStateException("cannot build " + tar, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * A multi-layer image as a docker-archive tar, built by {@code fixtures/layered/build-image}:
   * the layers of {@code base} plus one layer of each size (bytes). Same arguments, same image ID.
   */
  public static Path layeredTar(Path dir, String ref, Path base, String seed, long... sizes) {
    Path tar = dir.resolve(ref.replaceAll("[^A-Za-z0-9]", "_") + ".tar");
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
        repo().resolve("fixtures/layered/build-image").toString(), tar.toString(), ref, base.toString(), seed));
    for (long size : sizes) {
      command.add(Long.toString(size));
    }
    try {
      Process build = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(build.getInputStream().readAllBytes());
      if (!build.waitFor(2, TimeUnit.MINUTES) || build.exitValue() != 0) {
        throw new IllegalStateException("build-image failed:\n" + output);
      }
      return tar;
    } catch (IOException e) {
      throw new IllegalStateException("cannot build " + tar, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Load {@code busybox:latest} into the engine unless it already has it. */
  public static void loadBusybox(DockerCli docker) {
    if (docker.run("image", "inspect", "busybox:latest").exitCode() == 0) {
      return;
    }
    docker.run(Duration.ofMinutes(2), "load", "-i", busyboxTar().toString()).assertSuccess();
  }
}
