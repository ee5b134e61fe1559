package dev.muelle.engine.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * The Muelle engine ({@code dev.muelle.engine.Muelled}) run as its own JVM from the classpath
 * that failsafe passes in {@code muelle.classpath}, exactly as {@code ./muelle engine} runs it.
 *
 * <p>Each engine gets a default bridge of its own ({@code --bridge mu<hex> --bip 10.x.y.1/24}), so
 * engines that run at the same time on one host (other test runs, a developer's engine) never
 * hand out the same addresses on a shared muelle0.
 */
public final class MuelleEngine extends EngineProcess {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String bridge;
  private final String bip;

  private MuelleEngine(ScratchDir scratch) {
    super(Kind.MUELLE, scratch);
    this.bridge = "mu" + Integer.toHexString(RANDOM.nextInt(1 << 28));
    this.bip = unusedSubnetGateway();
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
        "--exec-root", scratch().resolve("exec").toString(),
        "--bridge", bridge,
        "--bip", bip);
  }

  /**
   * Each run logs the classes it loads, so {@link #stop} and {@link #killHard} can check that the
   * engine never built a Jackson ObjectMapper: that costs about 900 classes of resident memory for
   * good (bench/run, idle RSS), and a stray {@code JsonNode.toString()} is enough to build one.
   */
  @Override
  Map<String, String> environment() {
    String opts = System.getenv().getOrDefault("MUELLED_JAVA_OPTS", "");
    return Map.of("MUELLED_JAVA_OPTS", (opts + " -Xlog:class+load=info:file=" + classLog()).trim());
  }

  private Path classLog() {
    return scratch().resolve("classes-loaded.log");
  }

  @Override
  public void stop() {
    super.stop();
    assertNoObjectMapper();
  }

  @Override
  public void killHard() {
    super.killHard();
    assertNoObjectMapper();
  }

  private void assertNoObjectMapper() {
    String loaded;
    try {
      loaded = Files.readString(classLog());
    } catch (IOException e) {
      return; // never started
    }
    int at = loaded.indexOf(" com.fasterxml.jackson.databind.ObjectMapper ");
    if (at >= 0) {
      // The classes loaded just before it usually name the caller (e.g. InternalNodeMapper: toString()).
      String before = loaded.substring(0, at);
      String[] lines = before.split("\n");
      String recent = String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 8), lines.length));
      throw new AssertionError("the engine built a Jackson ObjectMapper; use dev.muelle.engine.json.Json,"
          + " never JsonNode.toString(). Classes loaded just before:\n" + recent);
    }
  }

  /** A 10.150-249.x.0/24 no route of this host covers yet, as gateway/prefix. */
  private static String unusedSubnetGateway() {
    String routes;
    try {
      routes = Files.readString(Path.of("/proc/net/route"));
    } catch (IOException e) {
      routes = "";
    }
    for (int attempt = 0; attempt < 100; attempt++) {
      int b = 150 + RANDOM.nextInt(100);
      int c = RANDOM.nextInt(256);
      // /proc/net/route writes destinations little-endian in hex: 10.b.c.0 is 00ccbb0a.
      String dest = String.format("00%02X%02X0A", c, b);
      if (!routes.contains(dest)) {
        return "10." + b + "." + c + ".1/24";
      }
    }
    return "10.88.0.1/16";
  }
}
