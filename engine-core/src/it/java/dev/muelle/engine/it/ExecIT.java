package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker exec} through the stock CLI and the exec API: exit codes, exec inspect, stdin and
 * terminals, and dockerd's refusals.
 *
 * <p>The CLI asks {@code GET /exec/{id}/json} for the exit code the moment its stream ends, so
 * the engine must record the code before it ends the stream; many quick execs in a row catch an
 * engine that does it the other way round (a failed {@code wget} once read as success this way).
 * Checked against the reference with {@code -Dmuelle.it.engine=dockerd}.
 */
@EngineTest
class ExecIT {

  private static final String BOX = "exec_box";
  private static final Duration QUICK = Duration.ofSeconds(20);

  @BeforeAll
  static void startTheContainer(DockerCli docker) {
    docker.run("run", "-d", "--name", BOX, "busybox", "sleep", "600").assertSuccess();
  }

  @AfterAll
  static void removeContainers(DockerCli docker) {
    docker.run("rm", "-f", BOX, "exec_stopped", "exec_paused");
  }

  @Test
  void quickExecsInARowEachReportTheirOwnExitCode(DockerCli docker) {
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int code = i % 5 == 0 ? 0 : 1 + i % 9;
      for (String[] variant : List.of(new String[] {}, new String[] {"-t"}, new String[] {"-i"})) {
        List<String> args = new ArrayList<>(List.of("exec"));
        args.addAll(List.of(variant));
        args.addAll(List.of(BOX, "sh", "-c", "exit " + code));
        int got = docker.run(args.toArray(String[]::new)).exitCode();
        if (got != code) {
          wrong.add(String.join(" ", args) + " -> " + got);
        }
      }
    }
    assertThat(wrong).as("execs whose exit code came back wrong").isEmpty();
  }

  @Test
  void outputAndExitCodeArriveTogether(DockerCli docker) {
    CliResult r = docker.run("exec", BOX, "sh", "-c", "echo out; echo err >&2; exit 3");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");

    // A command that cannot start: the reason comes on the stream, the exit code is 126.
    CliResult missing = docker.run("exec", BOX, "no-such-command");
    assertThat(missing.exitCode()).isEqualTo(126);
    assertThat(missing.stdout()).contains("OCI runtime exec failed")
        .contains("\"no-such-command\": executable file not found in $PATH");
    assertThat(docker.run("exec", BOX, "/etc").exitCode()).isEqualTo(126);
  }

  @Test
  void inspectShowsRunningWhileItRunsAndTheExitCodeAfter(EngineHttp http) {
    String id = createExec(http, "[\"sh\", \"-c\", \"sleep 2; exit 3\"]");
    JsonNode before = http.get("/exec/" + id + "/json").json();
    assertThat(before.path("Running").asBoolean()).isFalse();
    assertThat(before.path("ExitCode").isNull()).as(before.toString()).isTrue();

    EngineHttp.Response started = http.postJson("/exec/" + id + "/start", "{\"Detach\": true}");
    assertThat(started.status()).isEqualTo(200);
    JsonNode running = http.get("/exec/" + id + "/json").json();
    assertThat(running.path("Running").asBoolean()).as(running.toString()).isTrue();
    assertThat(running.path("ExitCode").isNull()).as(running.toString()).isTrue();
    assertThat(running.path("Pid").asInt()).isPositive();
    assertThat(running.path("ProcessConfig").path("entrypoint").asText()).isEqualTo("sh");
    EngineHttp.Response twice = http.postJson("/exec/" + id + "/start", "{\"Detach\": true}");
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.message()).isEqualTo("Error: Exec command " + id + " is already running");

    JsonNode done = awaitNotRunning(http, id, Duration.ofSeconds(20));
    assertThat(done.path("ExitCode").asInt()).as(done.toString()).isEqualTo(3);

    EngineHttp.Response again = http.postJson("/exec/" + id + "/start", "{\"Detach\": true}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.message()).isEqualTo("Error: Exec command " + id + " has already run");
    EngineHttp.Response resize = http.postJson("/exec/" + id + "/resize?h=20&w=80", "");
    assertThat(resize.status()).isEqualTo(404);
  }

  @Test
  void anExecThatCannotStartHasExitCode126(EngineHttp http) {
    String id = createExec(http, "[\"no-such-command\"]");
    EngineHttp.Response start = http.postJson("/exec/" + id + "/start", "{\"Detach\": true}");
    assertThat(start.status()).isEqualTo(400);
    assertThat(start.message()).startsWith("OCI runtime exec failed: exec failed: unable to start container process: "
        + "exec: \"no-such-command\": executable file not found in $PATH");
    JsonNode after = http.get("/exec/" + id + "/json").json();
    assertThat(after.path("Running").asBoolean()).isFalse();
    assertThat(after.path("ExitCode").asInt()).isEqualTo(126);
  }

  @Test
  void anAttachedStartLeavesItsExitCodeInInspect(EngineHttp http) {
    for (int i = 0; i < 15; i++) {
      String id = createExec(http, "[\"sh\", \"-c\", \"echo done; exit 5\"]");
      // Not upgraded: the engine answers 200 and the raw stream, then closes the connection.
      EngineHttp.Response stream = http.postJson("/exec/" + id + "/start", "{\"Detach\": false, \"Tty\": false}");
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.body()).contains("done");

      JsonNode after = http.get("/exec/" + id + "/json").json();
      assertThat(after.path("Running").asBoolean()).as("run %d: %s", i, after).isFalse();
      assertThat(after.path("ExitCode").asInt()).as("run %d: %s", i, after).isEqualTo(5);
    }
  }

  @Test
  void stdinReachesTheCommandAndItsEndEndsTheCommand(DockerCli docker) {
    try (RunningCommand exec = docker.spawn("exec", "-i", BOX, "sh", "-c", "read line; echo got:$line; exit 4")) {
      exec.send("hello\n");
      exec.expect("got:hello", QUICK);
      assertThat(exec.awaitExit(QUICK)).isEqualTo(4);
    }
    try (RunningCommand exec = docker.spawn("exec", "-i", BOX, "sh", "-c", "wc -l; exit 6")) {
      exec.send("a\nb\nc\n");
      exec.closeInput();
      exec.expect("3", QUICK);
      assertThat(exec.awaitExit(QUICK)).isEqualTo(6);
    }
  }

  @Test
  void aTerminalExecReportsTheShellsExitCode(DockerCli docker, Engine engine) {
    try (PtySession shell = docker.spawnInTerminal("exec", "-it", BOX, "sh")) {
      shell.expect("# ", QUICK);
      shell.typeLine("tty; exit 9");
      shell.expect("/dev/pts/", QUICK);
      assertThat(shell.awaitExit(QUICK)).as(shell.output()).isEqualTo(9);
    }
    // The terminal takes the client's size (the pty is 200x50). dockerd sets it only after the
    // process started, so a command that asks at once may see 0x0 there; Muelle creates the
    // terminal with its size.
    String askAt = engine.kind() == Engine.Kind.MUELLE ? "stty size" : "sleep 1; stty size";
    try (PtySession size = docker.spawnInTerminal("exec", "-it", BOX, "sh", "-c", askAt)) {
      size.expect("50 200", QUICK);
      assertThat(size.awaitExit(QUICK)).as(size.output()).isZero();
    }
    for (int i = 0; i < 5; i++) {
      try (PtySession quick = docker.spawnInTerminal("exec", "-it", BOX, "sh", "-c", "exit 8")) {
        assertThat(quick.awaitExit(QUICK)).as(quick.output()).isEqualTo(8);
      }
    }
  }

  @Test
  void execInAStoppedOrPausedContainerIsRefusedWithDockersWords(DockerCli docker, EngineHttp http) {
    docker.run("run", "-d", "--name", "exec_stopped", "busybox", "sleep", "600").assertSuccess();
    String id = docker.run("inspect", "-f", "{{.Id}}", "exec_stopped").out();
    String created = createExec(http, "exec_stopped", "[\"true\"]");
    docker.run("stop", "-t", "0", "exec_stopped").assertSuccess();

    CliResult refused = docker.run("exec", "exec_stopped", "true");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).contains("Error response from daemon: Container " + id + " is not running");

    EngineHttp.Response create = http.postJson("/containers/exec_stopped/exec", "{\"Cmd\": [\"true\"]}");
    assertThat(create.status()).isEqualTo(409);
    assertThat(create.message()).isEqualTo("Container " + id + " is not running");
    // The execs of a container that stopped are gone with its run, as in dockerd.
    EngineHttp.Response start = http.postJson("/exec/" + created + "/start", "{\"Detach\": true}");
    assertThat(start.status()).isEqualTo(404);
    assertThat(start.message()).isEqualTo("No such exec instance: " + created);

    docker.run("run", "-d", "--name", "exec_paused", "busybox", "sleep", "600").assertSuccess();
    docker.run("pause", "exec_paused").assertSuccess();
    // Here dockerd names the container as the client did, not by id.
    assertThat(docker.run("exec", "exec_paused", "true").stderr())
        .contains("Error response from daemon: Container exec_paused is paused, unpause the container before exec");
    docker.run("unpause", "exec_paused").assertSuccess();

    EngineHttp.Response missing = http.get("/exec/" + "0".repeat(64) + "/json");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.message()).isEqualTo("No such exec instance: " + "0".repeat(64));
  }

  @Test
  void finishedExecsLeaveNoConnectionOpen(DockerCli docker, Engine engine) {
    int before = openConnections(engine.socket());
    for (int i = 0; i < 20; i++) {
      docker.run("exec", BOX, "true").assertSuccess();
      docker.run("exec", "-i", BOX, "true").assertSuccess();
    }
    Instant deadline = Instant.now().plusSeconds(10);
    int after = openConnections(engine.socket());
    while (after > before + 5 && Instant.now().isBefore(deadline)) {
      EngineProcess.sleep(Duration.ofMillis(200));
      after = openConnections(engine.socket());
    }
    assertThat(after).as("connections to the engine's socket after 40 execs (before: %d)", before)
        .isLessThanOrEqualTo(before + 5); // a leak would add one per exec
  }

  /** Established connections on the engine's side of its socket, as ss(8) lists them. */
  private static int openConnections(Path socket) {
    try {
      Path out = Files.createTempFile("ss", ".txt");
      try {
        Process ss = new ProcessBuilder("ss", "-xHn", "state", "established")
            .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!ss.waitFor(10, TimeUnit.SECONDS)) {
          ss.destroyForcibly();
          throw new AssertionError("ss did not answer within 10 s");
        }
        String path = socket.toString();
        return (int) Files.readAllLines(out).stream()
            .filter(l -> List.of(l.trim().split("\\s+")).contains(path))
            .count();
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String createExec(EngineHttp http, String cmdJson) {
    return createExec(http, BOX, cmdJson);
  }

  private static String createExec(EngineHttp http, String container, String cmdJson) {
    EngineHttp.Response created = http.postJson("/containers/" + container + "/exec",
        "{\"AttachStdout\": true, \"AttachStderr\": true, \"Cmd\": " + cmdJson + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().path("Id").asText();
  }

  private static JsonNode awaitNotRunning(EngineHttp http, String id, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      JsonNode state = http.get("/exec/" + id + "/json").json();
      if (!state.path("Running").asBoolean()) {
        return state;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("exec " + id + " still running after " + timeout.toSeconds() + " s: " + state);
      }
      EngineProcess.sleep(Duration.ofMillis(100));
    }
  }
}
