package dev.muelle.engine.it;

import java.nio.file.Path;

/**
 * A Docker-API engine that an integration test drives through the stock {@code docker} CLI.
 *
 * <p>Two implementations exist so the same tests can be checked against the reference: {@link
 * MuelleEngine} (the engine under test) and {@link ReferenceDockerd} (Debian's dockerd, which
 * defines the expected behaviour). The system property {@code muelle.it.engine} picks one
 * ({@code muelle}, the default, or {@code dockerd}).
 *
 * <p>Lifecycle: {@link #start} brings the engine up on a fresh scratch directory and returns
 * once its socket answers {@code /_ping}. {@link #killHard} and {@link #stop} end the process but
 * keep the data root, so {@link #restart} comes back to the same state. {@link #close} removes
 * everything the engine left behind (containers, mounts, directories), even after a failure.
 */
public interface Engine extends AutoCloseable {

  /** Which engine implementation a test run uses. */
  enum Kind {
    MUELLE,
    DOCKERD
  }

  /** The engine chosen by {@code -Dmuelle.it.engine=muelle|dockerd}, started and answering. */
  static Engine start() {
    String chosen = System.getProperty("muelle.it.engine", "muelle").trim().toLowerCase();
    return switch (chosen) {
      case "muelle", "" -> MuelleEngine.start();
      case "dockerd" -> ReferenceDockerd.start();
      default -> throw new IllegalArgumentException(
          "muelle.it.engine must be 'muelle' or 'dockerd', not '" + chosen + "'");
    };
  }

  Kind kind();

  /** The value for {@code DOCKER_HOST}, e.g. {@code unix:///tmp/mu-x/engine.sock}. */
  default String dockerHost() {
    return "unix://" + socket();
  }

  Path socket();

  /** The file that collects the engine's stdout and stderr across restarts. */
  Path logFile();

  /** The last lines of the engine's log, for failure messages. */
  String logTail(int lines);

  /** SIGKILL the engine process, as a crash would; containers and data stay behind. */
  void killHard();

  /** SIGTERM the engine and wait for it to exit. */
  void stop();

  /** Start the engine again on the same data root (stopping it first if it still runs). */
  void restart();

  /** Stop the engine and remove its containers, mounts and scratch directory. Never throws. */
  @Override
  void close();
}
