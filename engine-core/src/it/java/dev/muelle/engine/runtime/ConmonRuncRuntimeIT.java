package dev.muelle.engine.runtime;

import dev.muelle.engine.container.logs.LogOptions;
import dev.muelle.engine.container.logs.LogReader;
import dev.muelle.engine.errors.EngineException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real runc and conmon running busybox containers. Needs root. */
class ConmonRuncRuntimeIT {

    private static BusyboxBundles bundles;
    private ConmonRuncRuntime runtime;
    private Path execRoot;
    private Path runcRoot;
    private final List<String> created = new ArrayList<>();

    @BeforeAll
    static void buildRootfs() throws Exception {
        bundles = new BusyboxBundles();
    }

    @AfterAll
    static void removeRootfs() throws IOException {
        bundles.close();
    }

    @BeforeEach
    void newRuntime() throws IOException {
        execRoot = Files.createTempDirectory(bundles.base, "x");
        runcRoot = execRoot.resolve("runc");
        runtime = new ConmonRuncRuntime(execRoot, runcRoot);
    }

    @AfterEach
    void deleteContainers() {
        for (String id : created) {
            try {
                runtime.delete(id, true);
            } catch (RuntimeException e) {
                System.err.println("cleanup of " + id + ": " + e.getMessage());
            }
        }
    }

    private int create(String id, CreateOptions options, boolean terminal, String... args) throws IOException {
        created.add(id);
        return runtime.create(id, bundles.bundle(id, terminal, args), options);
    }

    private CreateOptions plain(String id) {
        return new CreateOptions(false, false, false, logOf(id), id);
    }

    private Path logOf(String id) {
        return execRoot.resolve("logs").resolve(id + ".log");
    }

    private int awaitExit(String id) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Integer code = runtime.exitCode(id);
            if (code != null) {
                return code;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("container " + id + " did not exit");
    }

    /** Reads frames until {@code expected} appeared on {@code stream} (or the connection ended). */
    private static String readUntil(AttachConnection connection, StdStream stream, String expected) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        AttachConnection.Frame frame;
        while ((frame = connection.read()) != null) {
            if (frame.stream() == stream) {
                seen.writeBytes(frame.data());
            }
            if (seen.toString(StandardCharsets.UTF_8).contains(expected)) {
                break;
            }
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsToCompletionLogsBothStreamsAndReportsTheExitCode() throws Exception {
        Map<String, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
        exits.put("logs", new CompletableFuture<>());
        try (ExitWatcher watcher = runtime.watchExits((id, code, oom) -> exits.get(id).complete(code))) {
            int pid = create("logs", plain("logs"), false, "sh", "-c", "echo out; echo err >&2; exit 3");
            assertThat(pid).isPositive();
            assertThat(runtime.state("logs")).isEqualTo(new RuntimeState(RuntimeState.Status.CREATED, pid));
            runtime.start("logs");
            assertThat(exits.get("logs").get(10, TimeUnit.SECONDS)).isEqualTo(3);
        }
        assertThat(runtime.exitCode("logs")).isEqualTo(3);
        assertThat(runtime.oomKilled("logs")).isFalse();
        assertThat(runtime.state("logs").status()).isEqualTo(RuntimeState.Status.STOPPED);
        List<String> lines = new ArrayList<>();
        LogReader.read(logOf("logs"), LogOptions.all(), () -> false,
                (stream, time, bytes) -> lines.add(stream + " " + new String(bytes, StandardCharsets.UTF_8)));
        assertThat(lines).containsExactlyInAnyOrder("STDOUT out\n", "STDERR err\n");

        // An exit the engine did not see live is still reported by a scan.
        List<String> scanned = new ArrayList<>();
        try (ExitWatcher watcher = runtime.watchExits((id, code, oom) -> scanned.add(id + "=" + code))) {
            watcher.scanExisting();
        }
        assertThat(scanned).containsExactly("logs=3");

        runtime.delete("logs", false);
        assertThat(runtime.state("logs")).isEqualTo(RuntimeState.missing());
        assertThat(runtime.exitCode("logs")).isNull();
    }

    @Test
    void runcErrorsSurfaceWithRuncsMessage() throws Exception {
        assertThatThrownBy(() -> create("nocmd", plain("nocmd"), false, "no-such-command"))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessageContaining("OCI runtime create failed")
                .hasMessageContaining("exec: \"no-such-command\": executable file not found in $PATH");
        assertThat(runtime.state("nocmd")).isEqualTo(RuntimeState.missing());
        assertThatThrownBy(() -> runtime.start("nocmd")).isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void attachBeforeStartEchoesStdinAndClosingStdinEndsTheContainer() throws Exception {
        create("cat", new CreateOptions(false, true, true, logOf("cat"), "cat"), false, "cat");
        try (AttachConnection connection = runtime.attach("cat")) {
            runtime.start("cat");
            connection.writeStdin("hello\n".getBytes(StandardCharsets.UTF_8), 0, 6);
            assertThat(readUntil(connection, StdStream.STDOUT, "hello\n")).isEqualTo("hello\n");
            connection.closeStdin();
            assertThat(awaitExit("cat")).isZero();
        }
    }

    @Test
    void ttyContainerCanBeResized() throws Exception {
        create("tty", new CreateOptions(true, true, false, logOf("tty"), "tty"), true, "sh");
        try (AttachConnection connection = runtime.attach("tty")) {
            runtime.start("tty");
            runtime.resize("tty", 30, 100);
            byte[] command = "stty size\n".getBytes(StandardCharsets.UTF_8);
            connection.writeStdin(command, 0, command.length);
            assertThat(readUntil(connection, StdStream.STDOUT, "30 100")).contains("30 100");
            byte[] exit = "exit 7\n".getBytes(StandardCharsets.UTF_8);
            connection.writeStdin(exit, 0, exit.length);
            assertThat(awaitExit("tty")).isEqualTo(7);
        }
    }

    @Test
    void execRunsInARunningContainer() throws Exception {
        create("sleeper", plain("sleeper"), false, "sleep", "100");
        runtime.start("sleeper");
        try (ExecSession exec = runtime.exec("sleeper", new ExecSpec(List.of("sh", "-c", "echo hi; echo $FOO >&2; exit 4"),
                List.of("FOO=bar"), null, null, null, false, false, false))) {
            assertThat(exec.pid()).isPositive();
            assertThat(readUntil(exec.connection(), StdStream.STDOUT, "hi\n")).isEqualTo("hi\n");
            assertThat(readUntil(exec.connection(), StdStream.STDERR, "bar\n")).isEqualTo("bar\n");
            assertThat(exec.awaitExit()).isEqualTo(4);
            assertThat(exec.exitCode()).isEqualTo(4);
        }
        try (ExecSession exec = runtime.exec("sleeper", new ExecSpec(List.of("pwd"),
                List.of(), "/etc", null, null, false, false, false))) {
            assertThat(readUntil(exec.connection(), StdStream.STDOUT, "/etc\n")).isEqualTo("/etc\n");
            assertThat(exec.awaitExit()).isZero();
        }
        try (ExecSession exec = runtime.exec("sleeper", new ExecSpec(List.of("cat"),
                List.of(), null, null, null, false, true, false))) {
            exec.connection().writeStdin("ping\n".getBytes(StandardCharsets.UTF_8), 0, 5);
            assertThat(readUntil(exec.connection(), StdStream.STDOUT, "ping\n")).isEqualTo("ping\n");
            exec.connection().closeStdin();
            assertThat(exec.awaitExit()).isZero();
        }
        assertThatThrownBy(() -> runtime.exec("sleeper", new ExecSpec(List.of("nope"), List.of(), null, null, null,
                false, false, false)))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("executable file not found in $PATH");
        assertThat(runtime.state("sleeper").status()).isEqualTo(RuntimeState.Status.RUNNING);
    }

    @Test
    void ttyExecCanBeResized() throws Exception {
        create("ttyexec", plain("ttyexec"), false, "sleep", "100");
        runtime.start("ttyexec");
        try (ExecSession exec = runtime.exec("ttyexec", new ExecSpec(List.of("sh"), List.of(), null, null, null,
                true, true, false))) {
            exec.resize(12, 34);
            byte[] command = "stty size; exit 0\n".getBytes(StandardCharsets.UTF_8);
            exec.connection().writeStdin(command, 0, command.length);
            assertThat(readUntil(exec.connection(), StdStream.STDOUT, "12 34")).contains("12 34");
            assertThat(exec.awaitExit()).isZero();
        }
    }

    @Test
    void oomKillIsRecorded() throws Exception {
        created.add("oom");
        Path bundle = bundles.bundle("oom", false, "sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo done");
        BusyboxBundles.limitMemory(bundle, 16L * 1024 * 1024);
        runtime.create("oom", bundle, plain("oom"));
        CompletableFuture<String> exit = new CompletableFuture<>();
        try (ExitWatcher watcher = runtime.watchExits((id, code, oom) -> exit.complete(code + " oom=" + oom))) {
            runtime.start("oom");
            assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo("137 oom=true");
        }
        assertThat(runtime.oomKilled("oom")).isTrue();
    }

    @Test
    void createRefusesAnIdThatStillExists() throws Exception {
        create("twice", plain("twice"), false, "sleep", "100");
        assertThatThrownBy(() -> runtime.create("twice", bundles.bundle("twice", false, "true"), plain("twice")))
                .isInstanceOf(EngineException.Conflict.class);
        assertThat(runtime.state("twice").status()).isEqualTo(RuntimeState.Status.CREATED);
        assertThat(runtime.monitorAlive("twice")).isTrue();
    }

    @Test
    void attachToAStoppedContainerIsAConflict() throws Exception {
        create("gone", plain("gone"), false, "true");
        runtime.start("gone");
        awaitExit("gone");
        assertThatThrownBy(() -> runtime.attach("gone")).isInstanceOf(EngineException.Conflict.class);
        assertThatThrownBy(() -> runtime.resize("gone", 10, 10)).isInstanceOf(EngineException.Conflict.class);
    }

    @Test
    void pauseResumePidsAndKill() throws Exception {
        int pid = create("ctl", plain("ctl"), false, "sh", "-c", "sleep 100 & sleep 100; wait");
        runtime.start("ctl");
        assertThat(runtime.state("ctl")).isEqualTo(new RuntimeState(RuntimeState.Status.RUNNING, pid));
        runtime.pause("ctl");
        assertThat(runtime.state("ctl").status()).isEqualTo(RuntimeState.Status.PAUSED);
        runtime.resume("ctl");
        assertThat(runtime.state("ctl").status()).isEqualTo(RuntimeState.Status.RUNNING);
        for (int i = 0; i < 50 && runtime.pids("ctl").size() < 3; i++) {
            Thread.sleep(20);
        }
        assertThat(runtime.pids("ctl")).contains(pid).hasSize(3);
        assertThat(runtime.monitorAlive("ctl")).isTrue();
        runtime.kill("ctl", 9, false);
        assertThat(awaitExit("ctl")).isEqualTo(137);
        assertThatThrownBy(() -> runtime.pause("ctl")).isInstanceOf(EngineException.class);
        for (int i = 0; i < 100 && runtime.monitorAlive("ctl"); i++) {
            Thread.sleep(20);
        }
        assertThat(runtime.monitorAlive("ctl")).isFalse();
    }

    @Test
    void containerOutlivesAKilledEngineAndANewEngineFindsIt() throws Exception {
        created.add("survivor");
        Path bundle = bundles.bundle("survivor", false, "sh", "-c", "echo alive; sleep 100");
        Process engine = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SurvivingEngine.class.getName(),
                execRoot.toString(), runcRoot.toString(), bundle.toString(), "survivor", logOf("survivor").toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("started ")) {
            System.err.println("child engine: " + line);
        }
        assertThat(line).as("child engine output").isNotNull();
        int pid = Integer.parseInt(line.substring("started ".length()));
        engine.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        ConmonRuncRuntime restarted = new ConmonRuncRuntime(execRoot, runcRoot);
        assertThat(restarted.state("survivor")).isEqualTo(new RuntimeState(RuntimeState.Status.RUNNING, pid));
        assertThat(restarted.monitorAlive("survivor")).isTrue();
        String conmonPid = Files.readString(execRoot.resolve("c/survivor/conmon.pid")).strip();
        String stat = Files.readString(Path.of("/proc", conmonPid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertThat(Long.parseLong(fields[1])).as("conmon's parent").isNotEqualTo(engine.pid());
        assertThat(fields[3]).as("conmon leads its own session").isEqualTo(conmonPid);

        CompletableFuture<Integer> exit = new CompletableFuture<>();
        try (ExitWatcher watcher = restarted.watchExits((id, code, oom) -> exit.complete(code))) {
            // sh is the container's pid 1 and has no SIGTERM handler, so only SIGKILL ends it.
            restarted.kill("survivor", 9, false);
            assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(137);
        }
        assertThat(restarted.exitCode("survivor")).isEqualTo(137);
        List<String> logged = new ArrayList<>();
        LogReader.read(logOf("survivor"), LogOptions.all(), () -> false,
                (stream, time, bytes) -> logged.add(new String(bytes, StandardCharsets.UTF_8)));
        assertThat(logged).containsExactly("alive\n");
    }
}
