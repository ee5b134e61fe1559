package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Starts on the default bridge take a network namespace the engine wired ahead of time (files
 * {@code <exec-root>/netns/pool-<ip>-*}): such a container's network works as any other's, quick
 * starts get distinct addresses, and the spare namespaces neither leak through a {@code kill -9}
 * of the engine nor outlive a clean shutdown. The pool is Muelle's own: against the reference
 * only what the CLI shows is checked.
 */
@EngineTest
class NetworkPoolIT {

  @AfterEach
  void cleanUp(DockerCli docker) {
    String ids = docker.run("ps", "-aq").out();
    if (!ids.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f"));
      args.addAll(List.of(ids.split("\\s+")));
      docker.run(args.toArray(String[]::new));
    }
  }

  @Test
  void pooledStartGetsAWorkingNetwork(Engine engine, DockerCli docker) {
    docker.run("run", "-d", "--name", "first", "busybox", "sleep", "300").assertSuccess();
    awaitSpares(engine, docker, 2);
    docker.run(NetworkIT.withImage(List.of("run", "-d", "--name", "web"))).assertSuccess();
    docker.run("run", "-d", "--name", "client", "busybox", "sleep", "300").assertSuccess();

    Map<String, String> ips = bridgeMembers(docker);
    assertThat(ips).containsOnlyKeys("first", "web", "client");
    assertThat(ips.values()).doesNotHaveDuplicates();
    String web = ips.get("web");
    if (engine.kind() == Engine.Kind.MUELLE) {
      assertThat(netnsFiles(engine)).as("web took a pooled namespace").anyMatch(f -> f.startsWith("pool-" + web + "-"));
    }
    assertThat(docker.inspect("{{.NetworkSettings.IPAddress}}", "web")).isEqualTo(web);
    assertThat(docker.inspect("{{.NetworkSettings.MacAddress}}", "web")).isEqualTo(macOf(web));
    assertThat(docker.run("exec", "web", "cat", "/etc/hosts").assertSuccess().out()).contains(web + "\t");
    assertThat(docker.run("exec", "web", "ip", "-o", "-4", "addr", "show", "eth0").assertSuccess().out())
        .contains("inet " + web + "/");

    // The host reaches it by the address network inspect shows, so does another container, and
    // it reaches its gateway and the container started the usual way.
    assertThat(NetworkIT.fetch("http://" + web + "/index.html")).isEqualTo("hello from busybox\n");
    assertThat(docker.run("exec", "client", "timeout", "5", "wget", "-qO-", "http://" + web + "/index.html")
        .assertSuccess().out()).isEqualTo("hello from busybox");
    String gateway = docker.inspect("{{.NetworkSettings.Gateway}}", "web");
    docker.run("exec", "web", "ping", "-c", "1", "-W", "3", gateway).assertSuccess();
    docker.run("exec", "client", "ping", "-c", "1", "-W", "3", ips.get("first")).assertSuccess();
  }

  @Test
  void quickStartsGetDistinctAddresses(Engine engine, DockerCli docker) {
    for (int i = 0; i < 6; i++) {
      docker.run("run", "-d", "--name", "q" + i, "busybox", "sleep", "300").assertSuccess();
    }
    docker.run("run", "-d", "--name", "ported", "-p", "18491:80", "busybox", "sleep", "300").assertSuccess();
    Map<String, String> ips = bridgeMembers(docker);
    assertThat(ips).hasSize(7);
    assertThat(ips.values()).doesNotHaveDuplicates();
    for (Map.Entry<String, String> e : ips.entrySet()) {
      assertThat(docker.inspect("{{.NetworkSettings.IPAddress}}", e.getKey())).isEqualTo(e.getValue());
    }
    docker.run("exec", "q5", "ping", "-c", "1", "-W", "3", ips.get("ported")).assertSuccess();
  }

  /** kill -9 with a full pool, restart: the spares are torn down, their addresses handed out again. */
  @Test
  void engineKilledWithAFullPoolLeaksNoAddress(Engine engine, DockerCli docker) {
    assumeTrue(engine.kind() == Engine.Kind.MUELLE, "the pool is Muelle's");
    docker.run("run", "--rm", "busybox", "true").assertSuccess();
    awaitSpares(engine, docker, 2);
    docker.run("run", "-d", "--name", "keep", "busybox", "sleep", "300").assertSuccess();
    String keep = docker.inspect("{{.NetworkSettings.IPAddress}}", "keep");
    assertThat(netnsFiles(engine)).as("keep took a pooled namespace").anyMatch(f -> f.startsWith("pool-" + keep + "-"));
    List<String> spares = awaitSpares(engine, docker, 2);
    String bridge = docker.run("network", "inspect", "-f",
        "{{index .Options \"com.docker.network.bridge.name\"}}", "bridge").assertSuccess().out();

    engine.killHard();
    engine.restart();

    // Only the anchor and keep's (pooled, still running) namespace are left; on the bridge, their two veths.
    assertThat(netnsFiles(engine)).doesNotContainAnyElementsOf(spares).hasSize(2);
    assertThat(bridgePorts(bridge)).hasSize(2);

    // The lowest free address, which a spare held, goes to the next container, and works.
    docker.run("run", "-d", "--name", "after", "busybox", "sleep", "300").assertSuccess();
    String after = docker.inspect("{{.NetworkSettings.IPAddress}}", "after");
    String lowestSpare = spares.stream().map(NetworkPoolIT::addressOf)
        .min((a, b) -> Integer.compare(lastOctets(a), lastOctets(b))).orElseThrow();
    assertThat(after).isEqualTo(lowestSpare);
    docker.run("exec", "after", "ping", "-c", "1", "-W", "3", keep).assertSuccess();
    assertThat(bridgeMembers(docker).values()).doesNotHaveDuplicates().hasSize(2);

    // Removal leaves no container's namespace; a clean stop takes down the spares (and the bridge).
    awaitSpares(engine, docker, 2);
    docker.run("rm", "-f", "keep", "after").assertSuccess();
    assertThat(netnsFiles(engine)).allMatch(f -> f.startsWith("pool-") || f.startsWith("anchor-"));
    engine.stop();
    assertThat(netnsFiles(engine)).isEmpty();
    assertThat(bridgePorts(bridge)).isEmpty();
    engine.restart();
  }

  /** Container name to IPv4 address, from {@code docker network inspect bridge}. */
  private static Map<String, String> bridgeMembers(DockerCli docker) {
    String out = docker.run("network", "inspect", "-f",
        "{{range .Containers}}{{.Name}}={{.IPv4Address}} {{end}}", "bridge").assertSuccess().out();
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : out.trim().split("\\s+")) {
      if (!pair.isEmpty()) {
        String[] kv = pair.split("=", 2);
        m.put(kv[0], kv[1].substring(0, kv[1].indexOf('/')));
      }
    }
    return m;
  }

  /** Waits until {@code count} spare namespaces (pool files no container holds) are ready; their names. */
  private static List<String> awaitSpares(Engine engine, DockerCli docker, int count) {
    if (engine.kind() != Engine.Kind.MUELLE) {
      return List.of();
    }
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      List<String> held = List.copyOf(bridgeMembers(docker).values());
      List<String> spares = netnsFiles(engine).stream()
          .filter(f -> f.startsWith("pool-") && !held.contains(addressOf(f))).toList();
      if (spares.size() >= count) {
        return spares;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("only " + spares + " spare namespaces after 60 s: " + engine.logTail(20));
      }
      EngineProcess.sleep(Duration.ofMillis(200));
    }
  }

  private static List<String> netnsFiles(Engine engine) {
    Path dir = ((EngineProcess) engine).scratch().resolve("exec").resolve("netns");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The host side veths plugged into {@code bridge} (none when the bridge is gone). */
  private static List<String> bridgePorts(String bridge) {
    Path dir = Path.of("/sys/class/net", bridge, "brif");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code pool-10.1.2.3-abc} to {@code 10.1.2.3}. */
  private static String addressOf(String poolFile) {
    String rest = poolFile.substring("pool-".length());
    return rest.substring(0, rest.lastIndexOf('-'));
  }

  private static int lastOctets(String ip) {
    String[] o = ip.split("\\.");
    return Integer.parseInt(o[2]) * 256 + Integer.parseInt(o[3]);
  }

  private static String macOf(String ip) {
    String[] o = ip.split("\\.");
    return String.format("02:42:%02x:%02x:%02x:%02x", Integer.parseInt(o[0]), Integer.parseInt(o[1]),
        Integer.parseInt(o[2]), Integer.parseInt(o[3]));
  }
}
