package dev.muelle.engine.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What both engines share: one daemon process at a time on a fixed scratch directory, its output
 * appended to one log file, and readiness meaning "the socket answers {@code GET /_ping}".
 *
 * <p>Subclasses only say how to spell the daemon's command line.
 */
abstract class EngineProcess implements Engine {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);

  private final Kind kind;
  private final ScratchDir scratch;
  private final Path socket;
  private final Path log;
  private Process process;

  /** The daemon's process id (the launcher execs the JVM, so this is the JVM). */
  public long pid() {
    return process.pid();
  }

  EngineProcess(Kind kind, ScratchDir scratch) {
    this.kind = kind;
    this.scratch = scratch;
    this.socket = scratch.resolve("engine.sock");
    this.log = scratch.resolve("engine.log");
  }

  /** The daemon's command line; data lives below {@link #scratch()} and survives restarts. */
  abstract List<String> command();

  /** Variables added to the daemon's environment. */
  Map<String, String> environment() {
    return Map.of();
  }

  final ScratchDir scratch() {
    return scratch;
  }

  @Override
  public final Kind kind() {
    return kind;
  }

  @Override
  public final Path socket() {
    return socket;
  }

  @Override
  public final Path logFile() {
    return log;
  }

  /** Launch a new engine; when it does not come up, clean up its scratch dir and rethrow. */
  static <E extends EngineProcess> E launched(E engine) {
    try {
      engine.launch();
      return engine;
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /** Start the daemon and wait until it answers. */
  final void launch() {
    try {
      Files.deleteIfExists(socket);
      ProcessBuilder builder = new ProcessBuilder(command());
      builder.environment().putAll(environment());
      process = builder
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + String.join(" ", command()), e);
    }
    awaitPing();
  }

  private void awaitPing() {
    EngineHttp http = new EngineHttp(socket);
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(kind + " exited with status " + process.exitValue()
            + " before answering /_ping; its log:\n" + logTail(60));
      }
      if (Files.exists(socket) && http.pingOk()) {
        return;
      }
      sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException(kind + " did not answer /_ping on " + socket + " within "
        + READY_TIMEOUT.toSeconds() + " s; its log:\n" + logTail(60));
  }

  @Override
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log at " + log + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public void killHard() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      waitForExit(STOP_TIMEOUT);
    }
  }

  @Override
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!waitForExit(STOP_TIMEOUT)) {
        process.destroyForcibly();
        waitForExit(STOP_TIMEOUT);
        throw new IllegalStateException(kind + " ignored SIGTERM for " + STOP_TIMEOUT.toSeconds()
            + " s and was killed; its log:\n" + logTail(40));
      }
    }
  }

  @Override
  public void restart() {
    stop();
    launch();
  }

  /** Remove every container while the engine still answers, so it unmounts its own layers. */
  private void removeContainers() {
    if (process == null || !process.isAlive()) {
      return;
    }
    DockerCli cli = new DockerCli(dockerHost());
    try {
      CliResult ids = cli.run(Duration.ofSeconds(30), "ps", "-aq");
      if (ids.exitCode() == 0 && !ids.stdout().isBlank()) {
        List<String> args = new ArrayList<>(List.of("rm", "-f"));
        args.addAll(List.of(ids.stdout().trim().split("\\s+")));
        cli.run(Duration.ofSeconds(60), args.toArray(String[]::new));
      }
    } catch (RuntimeException | AssertionError e) {
      // The scratch cleanup below kills whatever is left.
    }
  }

  @Override
  public void close() {
    try {
      removeContainers();
      stop();
    } catch (RuntimeException e) {
      killHard();
    } finally {
      scratch.destroy();
    }
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return kind + " on " + scratch;
  }
}
