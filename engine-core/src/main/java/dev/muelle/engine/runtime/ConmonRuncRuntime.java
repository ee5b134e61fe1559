package dev.muelle.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * {@link ContainerRuntime} with runc as the OCI runtime and one conmon per container (and per exec
 * session) as its monitor, the way podman runs containers. Conmon runs {@code runc create}, holds
 * the container's stdio (k8s-file log, attach socket, terminal), waits for the init process and
 * writes its exit code, all independently of the engine: containers and their logs survive an
 * engine crash, and a new instance of this class over the same directories picks them up.
 *
 * <p>Layout under {@code execRoot} (keep it short: attach socket paths must fit in 108 bytes):
 * <pre>
 * execRoot/
 *   exits/&lt;id&gt;              exit code of a container, written by conmon (--exit-dir)
 *   a/&lt;key&gt; -&gt; bundle       attach socket directory link made by conmon (--socket-dir-path);
 *                            the bundle holds conmon's attach socket and ctl/winsz FIFOs
 *   e/&lt;key&gt; -&gt; exec dir     the same for exec sessions
 *   c/&lt;id&gt;/                 conmon's persist dir and cwd: conmon.pid, pid, exit, oom
 *   c/&lt;id&gt;/exec/&lt;execId&gt;/  exec session: process.json, pid, conmon.pid, exit/&lt;id&gt;
 * </pre>
 * {@code key} is the id's first 12 characters: unique enough for Docker's random ids, short enough
 * for the socket path. runc's own state lives under {@code runcRoot}.
 */
public final class ConmonRuncRuntime implements ContainerRuntime {

    private static final Logger log = LoggerFactory.getLogger(ConmonRuncRuntime.class);
    private static final Path CONMON = Path.of("/usr/bin/conmon");
    private static final Path RUNC = Path.of("/usr/sbin/runc");
    private static final int KEY_LENGTH = 12;
    private static final int SUN_PATH_MAX = 107;
    private static final Duration RUNTIME_TIMEOUT = Duration.ofMinutes(2);
    /** conmon's ctl FIFO message type for a window resize. */
    private static final int CTL_RESIZE = 1;

    /** Linux capability names by number, for privileged exec sessions. */
    private static final List<String> ALL_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE",
            "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
            "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    private final Path execRoot;
    private final Runc runc;

    private final Path runcStateRoot;

    public ConmonRuncRuntime(Path execRoot, Path runcRoot) {
        this.runcStateRoot = runcRoot.toAbsolutePath();
        this.execRoot = execRoot.toAbsolutePath();
        this.runc = new Runc(RUNC, runcRoot.toAbsolutePath());
        String longest = this.execRoot.resolve("a").resolve("x".repeat(KEY_LENGTH)).resolve("attach").toString();
        if (longest.getBytes(StandardCharsets.UTF_8).length > SUN_PATH_MAX) {
            throw new IllegalArgumentException("exec root " + execRoot + " is too long for attach socket paths");
        }
        try {
            Files.createDirectories(exitDir());
            Files.createDirectories(this.execRoot.resolve("a"));
            Files.createDirectories(this.execRoot.resolve("e"));
            Files.createDirectories(this.execRoot.resolve("c"));
            Files.createDirectories(runcRoot);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot prepare runtime directories under " + execRoot + ": " + e, e);
        }
    }

    @Override
    public int create(String id, Path bundleDir, CreateOptions options) {
        Path dir = containerDir(id);
        if (state(id).exists()) {
            // Its conmon still owns dir: wiping it would orphan a live container.
            throw new EngineException.Conflict("container " + id + " still exists in the runtime; delete it first");
        }
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
            Files.deleteIfExists(exitDir().resolve(id));
            Files.deleteIfExists(attachLink(id));
            Files.createDirectories(options.logPath().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot prepare runtime directory for " + id + ": " + e, e);
        }
        List<String> argv = conmonArgs(id, key(id), bundleDir.toAbsolutePath(), dir, execRoot.resolve("a"));
        argv.addAll(List.of("-n", options.name() == null ? id : options.name(),
                "--exit-dir", exitDir().toString(),
                "--persist-dir", dir.toString(),
                "-l", "k8s-file:" + options.logPath().toAbsolutePath()));
        if (options.tty()) {
            argv.add("-t");
        }
        if (options.openStdin()) {
            argv.add("-i");
            if (!options.stdinOnce()) {
                argv.add("--leave-stdin-open");
            }
        }
        try (ConmonLaunch launch = ConmonLaunch.start(argv, dir, false)) {
            ConmonLaunch.Message reply = launch.readSync(RUNTIME_TIMEOUT);
            if (reply == null) {
                throw new EngineException.SystemError("conmon for container " + id
                        + " exited without reporting a pid" + suffix(launch.output()));
            }
            if (reply.data() <= 0) {
                cleanUpFailedCreate(id);
                throw runtimeFailure("create", Runc.errorText(reply.message()));
            }
            return reply.data();
        } catch (IOException e) {
            cleanUpFailedCreate(id);
            throw new EngineException.SystemError("cannot start conmon for container " + id + ": " + e.getMessage(), e);
        }
    }

    private List<String> conmonArgs(String containerId, String key, Path bundle, Path dir, Path socketDir) {
        List<String> argv = new ArrayList<>(List.of(CONMON.toString(), "--api-version", "1",
                "-c", containerId, "-u", key, "-r", runc.binary().toString(), "-b", bundle.toString(),
                "-p", dir.resolve("pid").toString(), "--conmon-pidfile", dir.resolve("conmon.pid").toString(),
                "--socket-dir-path", socketDir.toString(), "--log-level", "warning"));
        for (String arg : runc.globalArgs()) {
            argv.add("--runtime-arg=" + arg);
        }
        return argv;
    }

    private void cleanUpFailedCreate(String id) {
        try {
            runc.run("delete", "--force", id);
            Files.deleteIfExists(attachLink(id));
        } catch (IOException e) {
            log.debug("cleaning up after failed create of {}", id, e);
        }
    }

    @Override
    public void start(String id) {
        runOrFail(id, "start", id);
    }

    @Override
    public RuntimeState state(String id) {
        Runc.Result result = runQuietly("state", id);
        if (!result.ok()) {
            if (isMissing(result.error())) {
                return RuntimeState.missing();
            }
            throw failure(id, "state", result.error());
        }
        try {
            JsonNode state = Json.parse(result.stdout());
            RuntimeState.Status status = RuntimeState.Status.valueOf(state.path("status").asText().toUpperCase(Locale.ROOT));
            int pid = status == RuntimeState.Status.STOPPED ? 0 : state.path("pid").asInt();
            return new RuntimeState(status, pid);
        } catch (IOException | IllegalArgumentException e) {
            throw new EngineException.SystemError("cannot read runc state of " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        if (all) {
            runOrFail(id, "kill", "--all", id, Integer.toString(signal));
        } else {
            runOrFail(id, "kill", id, Integer.toString(signal));
        }
    }

    @Override
    public void update(String id, RuntimeSpec.Resources resources) {
        List<String> args = new ArrayList<>(OciSpecWriter.updateArgs(resources, HostFacts.detect().swapLimitSupported()));
        args.add(id);
        runOrFail(id, "update", args.toArray(String[]::new));
    }

    @Override
    public void pause(String id) {
        runOrFail(id, "pause", id);
    }

    @Override
    public void resume(String id) {
        runOrFail(id, "resume", id);
    }

    @Override
    public void delete(String id, boolean force) {
        // runc keeps a state directory per container; without one there is nothing for runc to
        // delete, and skipping the exec saves ~10 ms on every start and removal.
        if (Files.isDirectory(runcStateRoot.resolve(id))) {
            Runc.Result result = force ? runQuietly("delete", "--force", id) : runQuietly("delete", id);
            if (!result.ok() && !isMissing(result.error())) {
                throw failure(id, "delete", result.error());
            }
        }
        try {
            Files.deleteIfExists(exitDir().resolve(id));
            Files.deleteIfExists(attachLink(id));
            Path execs = containerDir(id).resolve("exec");
            if (Files.isDirectory(execs)) {
                try (DirectoryStream<Path> sessions = Files.newDirectoryStream(execs)) {
                    for (Path session : sessions) {
                        Files.deleteIfExists(execLink(session.getFileName().toString()));
                    }
                }
            }
            deleteTree(containerDir(id));
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot remove runtime files of " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Integer> pids(String id) {
        Runc.Result result = runOrFail(id, "ps", "--format", "json", id);
        try {
            List<Integer> pids = new ArrayList<>();
            for (JsonNode pid : Json.parse(result.stdout())) {
                pids.add(pid.asInt());
            }
            return pids;
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot read runc ps output for " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ExecSession exec(String id, ExecSpec spec) {
        RuntimeState state = state(id);
        if (state.status() != RuntimeState.Status.RUNNING) {
            throw new EngineException.Conflict("Container " + id + " is not running");
        }
        String execId = HexFormat.of().formatHex(randomBytes());
        Path dir = containerDir(id).resolve("exec").resolve(execId);
        Path exitDir = dir.resolve("exit");
        try {
            Files.createDirectories(exitDir);
            Files.write(dir.resolve("process.json"), Json.bytes(execProcess(id, spec)));
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot prepare exec session for " + id + ": " + e.getMessage(), e);
        }
        List<String> argv = conmonArgs(id, key(execId), dir, dir, execRoot.resolve("e"));
        argv.addAll(List.of("-n", id, "--exit-dir", exitDir.toString(), "-l", "none",
                "-e", "--exec-attach", "--exec-process-spec", dir.resolve("process.json").toString()));
        if (spec.tty()) {
            argv.add("-t");
        }
        if (spec.openStdin()) {
            argv.add("-i");
        }
        ConmonLaunch launch = null;
        AttachConnection connection = null;
        try {
            launch = ConmonLaunch.start(argv, dir, true);
            ConmonLaunch.Message ready = launch.readAttachReady(RUNTIME_TIMEOUT);
            if (ready == null) {
                ConmonLaunch.Message failure = launch.readSync(RUNTIME_TIMEOUT);
                throw runtimeFailure("exec", failure == null ? "conmon exited" + suffix(launch.output())
                        : Runc.errorText(failure.message()));
            }
            connection = AttachConnection.connect(execLink(execId).resolve("attach").toString());
            launch.signalStart();
            ConmonLaunch.Message reply = launch.readSync(RUNTIME_TIMEOUT);
            if (reply == null || reply.data() <= 0) {
                throw runtimeFailure("exec", reply == null ? "conmon exited without reporting a pid"
                        : Runc.errorText(reply.message()));
            }
            return new ExecSession(execId, id, reply.data(), connection, launch, exitDir.resolve(id),
                    execLink(execId).resolve("ctl"), execLink(execId));
        } catch (IOException | RuntimeException e) {
            if (connection != null) {
                connection.close();
            }
            if (launch != null) {
                launch.close();
            }
            if (e instanceof EngineException engineException) {
                throw engineException;
            }
            throw new EngineException.SystemError("cannot exec in container " + id + ": " + e.getMessage(), e);
        }
    }

    /** The OCI process for an exec: the container's process with the exec's command, env and user. */
    private ObjectNode execProcess(String id, ExecSpec spec) throws IOException {
        Path bundle = Path.of(runcStateField(id, "bundle"));
        ObjectNode process = ((ObjectNode) Json.parse(Files.readAllBytes(bundle.resolve("config.json"))).path("process")).deepCopy();
        process.put("terminal", spec.tty());
        process.remove("consoleSize");
        if (spec.tty() && spec.console() != null) {
            // Sized when created: a resize after the start races a quick process's end.
            process.putObject("consoleSize").put("height", spec.console().height()).put("width", spec.console().width());
        }
        ArrayNode args = process.putArray("args");
        spec.args().forEach(args::add);
        Map<String, String> env = new LinkedHashMap<>();
        process.path("env").forEach(e -> putEnv(env, e.asText()));
        spec.env().forEach(e -> putEnv(env, e));
        ArrayNode envArray = process.putArray("env");
        env.forEach((k, v) -> envArray.add(v == null ? k : k + "=" + v));
        if (spec.workingDir() != null && !spec.workingDir().isEmpty()) {
            process.put("cwd", spec.workingDir());
        }
        ObjectNode user = process.with("user");
        if (spec.uid() != null) {
            user.put("uid", spec.uid());
        }
        if (spec.gid() != null) {
            user.put("gid", spec.gid());
        }
        if (spec.privileged()) {
            ObjectNode caps = process.putObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                ArrayNode names = caps.putArray(set);
                ALL_CAPABILITIES.forEach(names::add);
            }
            process.remove("apparmorProfile");
            process.remove("selinuxLabel");
            process.put("noNewPrivileges", false);
        }
        return process;
    }

    private static void putEnv(Map<String, String> env, String entry) {
        int eq = entry.indexOf('=');
        if (eq < 0) {
            env.put(entry, null);
        } else {
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
    }

    private String runcStateField(String id, String field) throws IOException {
        Runc.Result result = runOrFail(id, "state", id);
        return Json.parse(result.stdout()).path(field).asText();
    }

    @Override
    public AttachConnection attach(String id) {
        Path socket = attachLink(id).resolve("attach");
        if (!Files.exists(socket)) {
            throw new EngineException.Conflict("You cannot attach to a stopped container, start it first");
        }
        try {
            return AttachConnection.connect(socket.toString());
        } catch (IOException e) {
            throw new EngineException.Conflict("You cannot attach to a stopped container, start it first");
        }
    }

    @Override
    public void resize(String id, int height, int width) {
        try {
            writeResize(attachLink(id).resolve("ctl"), height, width);
        } catch (IOException e) {
            throw new EngineException.Conflict("Container " + id + " is not running");
        }
    }

    /** Asks conmon, through its ctl FIFO, to set the terminal size; fails if conmon is gone. */
    static void writeResize(Path controlFifo, int height, int width) throws IOException {
        int fd = Posix.openFifoForWrite(controlFifo.toString());
        try {
            Posix.writeFully(fd, (CTL_RESIZE + " " + height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII));
        } finally {
            Posix.closeQuietly(fd);
        }
    }

    @Override
    public Integer exitCode(String id) {
        Integer code = readExitCode(exitDir().resolve(id));
        return code != null ? code : readExitCode(containerDir(id).resolve("exit"));
    }

    private boolean isKnownContainer(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.startsWith(".")
                && Files.isDirectory(execRoot.resolve("c").resolve(name));
    }

    @Override
    public boolean oomKilled(String id) {
        return Files.exists(containerDir(id).resolve("oom"));
    }

    @Override
    public boolean monitorAlive(String id) {
        try {
            String pid = Files.readString(containerDir(id).resolve("conmon.pid")).strip();
            return Files.readString(Path.of("/proc", pid, "comm")).strip().equals("conmon");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public ExitWatcher watchExits(ExitListener listener) {
        try {
            return new ExitWatcher(exitDir(), this::isKnownContainer, this::oomKilled, listener);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot watch " + exitDir() + ": " + e.getMessage(), e);
        }
    }

    /** Reads one of conmon's exit files: decimal text; null if absent or not (yet) a number. */
    static Integer readExitCode(Path file) {
        try {
            return Integer.parseInt(Files.readString(file).strip());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | NumberFormatException e) {
            log.debug("unreadable exit file {}", file, e);
            return null;
        }
    }

    private Runc.Result runQuietly(String... args) {
        try {
            return runc.run(args);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot run runc " + args[0] + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code runc <operation> <args>}; a failure becomes the matching EngineException. */
    private Runc.Result runOrFail(String id, String operation, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = operation;
        System.arraycopy(args, 0, command, 1, args.length);
        Runc.Result result = runQuietly(command);
        if (!result.ok()) {
            throw failure(id, operation, result.error());
        }
        return result;
    }

    private static boolean isMissing(String error) {
        return error.contains("does not exist");
    }

    private static EngineException failure(String id, String operation, String error) {
        if (isMissing(error)) {
            return EngineException.NotFound.container(id);
        }
        if (error.contains("not running") || error.contains("container not paused")
                || error.contains("cannot start a container that has stopped")
                || error.contains("cannot start an already running container")) {
            return new EngineException.Conflict("Container " + id + ": " + error);
        }
        return runtimeFailure(operation, error);
    }

    /**
     * Docker's wording for runtime failures ({@code OCI runtime create failed: <runc's text>}); a
     * missing or non-executable command is the client's mistake, which Docker answers with 400.
     */
    private static EngineException runtimeFailure(String operation, String error) {
        String message = "OCI runtime " + operation + " failed: " + error;
        if (error.contains("executable file not found") || error.contains("no such file or directory")
                || error.contains("permission denied")) {
            return new EngineException.InvalidParameter(message);
        }
        return new EngineException.SystemError(message);
    }

    private static String suffix(String output) {
        return output == null || output.isBlank() ? "" : ": " + output.strip();
    }

    private Path exitDir() {
        return execRoot.resolve("exits");
    }

    private Path containerDir(String id) {
        if (id.isEmpty() || id.contains("/") || id.startsWith(".")) {
            throw new EngineException.InvalidParameter("invalid container id: " + id);
        }
        return execRoot.resolve("c").resolve(id);
    }

    private Path attachLink(String id) {
        return execRoot.resolve("a").resolve(key(id));
    }

    private Path execLink(String execId) {
        return execRoot.resolve("e").resolve(key(execId));
    }

    private static String key(String id) {
        return id.length() <= KEY_LENGTH ? id : id.substring(0, KEY_LENGTH);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
