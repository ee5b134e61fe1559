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
    String classpath = System.getProperty("muelle.classpath");
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalStateException("system property muelle.classpath is not set: run the ITs"
          + " through maven failsafe (./muelle test) or pass -Dmuelle.classpath=...");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-cp", classpath, "dev.muelle.engine.Muelled",
        "--host", dockerHost(),
        "--data-root", scratch().resolve("data").toString(),
        "--exec-root", scratch().resolve("exec").toString());
  }
}
