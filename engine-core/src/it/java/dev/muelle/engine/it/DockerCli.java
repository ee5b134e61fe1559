package dev.muelle.engine.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stock docker CLI (the client users have) pointed at one engine via {@code DOCKER_HOST}.
 *
 * <p>Every command has a timeout, so a hung engine fails a test instead of hanging the build.
 * {@code DOCKER_BUILDKIT=0} selects the classic build API, the one an engine without buildx
 * serves; a private {@code DOCKER_CONFIG} keeps the user's contexts and credentials out.
 */
public final class DockerCli {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final String dockerHost;

  public DockerCli(String dockerHost) {
    this.dockerHost = dockerHost;
  }

  public String dockerHost() {
    return dockerHost;
  }

  /** Run {@code docker ARGS} to completion with the default timeout. */
  public CliResult run(String... args) {
    return run(DEFAULT_TIMEOUT, args);
  }

  /** Run {@code docker ARGS} and fail the test when it does not exit within the timeout. */
  public CliResult run(Duration timeout, String... args) {
    return run(timeout, new File("/dev/null"), args);
  }

  /** Run {@code docker ARGS} with {@code input} as its stdin (e.g. {@code build -}). */
  public CliResult run(Duration timeout, File input, String... args) {
    return runToCompletion(builder(args), List.of(args), timeout, input);
  }

  /**
   * Runs {@code process} with {@code input} as stdin and its output in files, and fails the test
   * (after killing it and its children) when it does not exit within the timeout.
   */
  static CliResult runToCompletion(ProcessBuilder process, List<String> args, Duration timeout, File input) {
    try {
      Path out = Files.createTempFile("docker-out", ".txt");
      Path err = Files.createTempFile("docker-err", ".txt");
      try {
        Process docker = process
            .redirectInput(ProcessBuilder.Redirect.from(input))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
        boolean exited = docker.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
          docker.descendants().forEach(ProcessHandle::destroyForcibly);
          docker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        CliResult result = new CliResult(args, exited ? docker.exitValue() : -1,
            Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        if (!exited) {
          throw new AssertionError("timed out after " + timeout.toSeconds() + " s\n" + result);
        }
        return result;
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + process.command(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** {@code docker inspect -f FORMAT NAME}, which must succeed. */
  public String inspect(String format, String name) {
    return run("inspect", "-f", format, name).assertSuccess().out();
  }

  /** Polls {@link #inspect} until it gives {@code expected} or the time is up; returns the last value. */
  public String awaitInspect(String format, String name, String expected, Duration timeout) {
    java.time.Instant end = java.time.Instant.now().plus(timeout);
    String last;
    do {
      last = inspect(format, name);
      if (last.equals(expected)) {
        return last;
      }
      EngineProcess.sleep(Duration.ofMillis(200));
    } while (java.time.Instant.now().isBefore(end));
    return last;
  }

  /** Start {@code docker ARGS} in the background with plain pipes (e.g. {@code logs -f}). */
  public RunningCommand spawn(String... args) {
    try {
      return new RunningCommand(builder(args).redirectErrorStream(true).start(), "docker " + String.join(" ", args));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run docker " + String.join(" ", args), e);
    }
  }

  /** Start {@code docker ARGS} on a real pseudo-terminal (for {@code -it} and attach). */
  public PtySession spawnInTerminal(String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return PtySession.open(environment(), command);
  }

  private ProcessBuilder builder(String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment());
    return builder;
  }

  Map<String, String> environment() {
    return Map.of(
        "DOCKER_HOST", dockerHost,
        "DOCKER_BUILDKIT", "0",
        "DOCKER_CONFIG", privateConfigDir().toString(),
        "DOCKER_CLI_HINTS", "false");
  }

  private static Path privateConfigDir() {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "muelle-it-docker-config");
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir, e);
    }
  }
}
