package dev.muelle.engine.it;

import java.util.List;

/**
 * Debian's dockerd 20.10 (package docker.io) on a scratch directory: the reference whose
 * behaviour the ITs pin down before they run against Muelle.
 *
 * <p>dockerd starts its own containerd below the exec root. It runs with {@code --live-restore}
 * so that, like Muelle's conmon-monitored containers, containers outlive a killed or stopped
 * daemon and {@link #restart} finds them again.
 */
public final class ReferenceDockerd extends EngineProcess {

  private ReferenceDockerd(ScratchDir scratch) {
    super(Kind.DOCKERD, scratch);
  }

  /** Start a reference dockerd on a fresh scratch directory; returns once it answers. */
  public static ReferenceDockerd start() {
    return launched(new ReferenceDockerd(ScratchDir.create("dk-")));
  }

  @Override
  List<String> command() {
    return List.of("dockerd",
        "--host", dockerHost(),
        "--data-root", scratch().resolve("data").toString(),
        "--exec-root", scratch().resolve("exec").toString(),
        "--pidfile", scratch().resolve("dockerd.pid").toString(),
        "--live-restore");
  }
}
