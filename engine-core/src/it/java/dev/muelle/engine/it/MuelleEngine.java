package dev.muelle.engine.it;

import java.nio.file.Path;
import java.util.List;

/**
 * The Muelle engine ({@code dev.muelle.engine.Muelled}) run as its own JVM from the classpath
 * that failsafe passes in {@code muelle.classpath}, exactly as {@code ./muelle engine} runs it.
 */
public final class MuelleEngine extends EngineProcess {

  private MuelleEngine(ScratchDir scratch) {
    super(Kind.MUELLE, scratch);
  }

  /** Start Muelle on a fresh scratch directory; returns once it answers {@code /_ping}. */
  public static MuelleEngine start() {
    return launched(new MuelleEngine(ScratchDir.create("mu-")));
  }

  @Override
  List<String> command() {
    // The same launcher (and JVM options) as ./muelle and the benchmark.
    String launcher = Fixtures.repo().resolve("engine-core/bin/muelled").toString();
    return List.of(launcher,
        "--host", dockerHost(),
        "--data-root", scratch().resolve("data").toString(),
        "--exec-root", scratch().resolve("exec").toString());
  }
}
