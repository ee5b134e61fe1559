package dev.muelle.engine.container;

import dev.muelle.engine.container.logs.StdStreamFrames;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.runtime.AttachConnection;
import dev.muelle.engine.runtime.ExecSession;
import dev.muelle.engine.runtime.ExecSpec;
import dev.muelle.engine.runtime.StdStream;
import dev.muelle.engine.runtime.UserResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exec instances: created with a command, started once (attached or detached), inspected for
 * their exit code afterwards. Like dockerd, instances live in memory only, and only as long as
 * the container run they were created in: once the container stops (or is removed, or started
 * again), its execs are gone and asking for them is a 404.
 */
public final class ExecService {

    private static final Logger LOG = LoggerFactory.getLogger(ExecService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContainerService containers;
    private final Map<String, ExecInstance> execs = new ConcurrentHashMap<>();

    public ExecService(ContainerService containers) {
        this.containers = containers;
    }

    /** {@code POST /containers/{id}/exec} body. */
    @SuppressWarnings("checkstyle:MemberName")
    public static final class ExecConfig {
        public Boolean AttachStdin;
        public Boolean AttachStdout;
        public Boolean AttachStderr;
        public String DetachKeys;
        public Boolean Tty;
        public List<String> Env;
        public List<String> Cmd;
        public Boolean Privileged;
        public String User;
        public String WorkingDir;
        public List<Integer> ConsoleSize;

        /** Docker's {@code ExecConfig} as a client sends it; wrong types fail with Go's wording. */
        public static ExecConfig fromJson(dev.muelle.engine.json.JsonRead r) {
            ExecConfig c = new ExecConfig();
            c.AttachStdin = r.bool("AttachStdin");
            c.AttachStdout = r.bool("AttachStdout");
            c.AttachStderr = r.bool("AttachStderr");
            c.DetachKeys = r.string("DetachKeys");
            c.Tty = r.bool("Tty");
            c.Env = r.strings("Env");
            c.Cmd = r.strings("Cmd");
            c.Privileged = r.bool("Privileged");
            c.User = r.string("User");
            c.WorkingDir = r.string("WorkingDir");
            c.ConsoleSize = r.ints("ConsoleSize");
            return c;
        }
    }

    /** One exec: its settings and, once started, its session and outcome. */
    public static final class ExecInstance {
        final String id;
        final String containerId;
        final ExecConfig config;
        /** The container run this exec belongs to. */
        final String containerStartedAt;
        volatile ExecSpec spec;
        volatile boolean running;
        volatile boolean started;
        volatile Integer exitCode;
        volatile int pid;
        volatile ExecSession session;
        volatile boolean tty;

        public boolean tty() {
            return tty;
        }

        ExecInstance(String id, Container c, ExecConfig config) {
            this.id = id;
            this.containerId = c.Id;
            this.containerStartedAt = c.State.StartedAt;
            this.config = config;
        }
    }

    public String create(String ref, ExecConfig cfg) {
        if (containers.get(ref).State.Paused) {
            // dockerd names the container as the client did here (and by id when starting).
            throw new EngineException.Conflict("Container " + ref + " is paused, unpause the container before exec");
        }
        Container c = containers.requireRunning(ref);
        if (cfg == null || cfg.Cmd == null || cfg.Cmd.isEmpty()) {
            throw new EngineException.InvalidParameter("No exec command specified");
        }
        DetachKeys.parse(cfg.DetachKeys);
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        execs.values().removeIf(this::outlivedItsContainerRun);
        execs.put(id, new ExecInstance(id, c, cfg));
        containers.emit(c, "exec_create: " + String.join(" ", cfg.Cmd), Map.of("execID", id));
        return id;
    }

    ExecInstance get(String id) {
        ExecInstance e = execs.get(id);
        if (e == null || outlivedItsContainerRun(e)) {
            if (e != null) {
                execs.remove(id, e);
            }
            throw EngineException.NotFound.exec(id);
        }
        return e;
    }

    /** dockerd forgets a container's execs when it stops; so do we, lazily. */
    private boolean outlivedItsContainerRun(ExecInstance e) {
        try {
            Container c = containers.get(e.containerId);
            return !c.State.Running || !c.State.StartedAt.equals(e.containerStartedAt);
        } catch (EngineException.NotFound gone) {
            return true;
        }
    }

    /**
     * Claims an exec for starting and checks it can start; {@link #pump} or {@link #runDetached}
     * then launches its process.
     *
     * @param consoleSize {@code [height, width]} for a TTY, or null
     */
    public ExecInstance start(String id, Boolean ttyOverride, List<Integer> consoleSize) {
        ExecInstance e = get(id);
        synchronized (e) {
            if (e.running) {
                throw new EngineException.Conflict("Error: Exec command " + id + " is already running");
            }
            if (e.started) {
                throw new EngineException.Conflict("Error: Exec command " + id + " has already run");
            }
            e.started = true;
        }
        Container c = containers.requireRunning(e.containerId);
        ExecConfig cfg = e.config;
        boolean tty = ttyOverride != null ? ttyOverride : Boolean.TRUE.equals(cfg.Tty);
        Integer uid = null;
        Integer gid = null;
        if (cfg.User != null && !cfg.User.isEmpty()) {
            var u = new UserResolver(containers.rootfs(c)).resolve(cfg.User, List.of());
            uid = u.uid();
            gid = u.gid();
        }
        List<String> env = cfg.Env == null ? List.of() : cfg.Env;
        List<Integer> size = consoleSize != null ? consoleSize : cfg.ConsoleSize;
        ExecSpec.ConsoleSize console = tty && size != null && size.size() == 2 && size.get(0) > 0 && size.get(1) > 0
                ? new ExecSpec.ConsoleSize(size.get(0), size.get(1)) : null;
        e.spec = new ExecSpec(cfg.Cmd, env, cfg.WorkingDir == null || cfg.WorkingDir.isEmpty() ? null : cfg.WorkingDir,
                uid, gid, tty, Boolean.TRUE.equals(cfg.AttachStdin), Boolean.TRUE.equals(cfg.Privileged), console);
        e.tty = tty;
        return e;
    }

    /** Starts the process; a process that cannot start leaves exit code 126, as with dockerd. */
    private void launch(ExecInstance e) {
        Container c = containers.get(e.containerId);
        ExecSession session;
        try {
            session = containers.runtime().exec(c.Id, e.spec);
        } catch (EngineException ex) {
            e.exitCode = 126;
            throw ex;
        }
        e.session = session;
        e.pid = session.pid();
        e.running = true;
        containers.emit(c, "exec_start: " + String.join(" ", e.config.Cmd), Map.of("execID", e.id));
    }

    /**
     * Runs an attached exec session to its end. When the process is done with its output, the
     * exit code is recorded before the client sees the end of the stream, as dockerd does: the
     * docker CLI inspects the exec for its exit code as soon as the stream ends. A client that
     * detaches leaves the process running; its exit code is then recorded in the background.
     */
    public void pump(ExecInstance e, ClientStreams client) {
        boolean tty = e.tty;
        ExecConfig cfg = e.config;
        try {
            launch(e);
        } catch (EngineException ex) {
            // The stream is already the client's: like dockerd, say why on it (the CLI shows it
            // and exits with the exec's code, 126).
            LOG.debug("exec {} did not start: {}", e.id, ex.getMessage());
            writeQuietly(client, tty, (ex.getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8));
            client.closeOutput();
            return;
        }
        AttachConnection conn = e.session.connection();
        boolean outputEnded = StreamPump.run(conn, client, new StreamPump.Options(tty, Boolean.TRUE.equals(cfg.AttachStdin),
                Boolean.TRUE.equals(cfg.AttachStdout), Boolean.TRUE.equals(cfg.AttachStderr), !tty,
                DetachKeys.parse(cfg.DetachKeys)), () -> finish(e));
        if (!outputEnded) {
            inBackground(e, () -> finish(e));
        }
    }

    private static void writeQuietly(ClientStreams client, boolean tty, byte[] text) {
        try {
            if (!tty) {
                client.out().write(StdStreamFrames.header(StdStream.STDOUT, text.length));
            }
            client.out().write(text);
            client.out().flush();
        } catch (IOException gone) {
            LOG.debug("client left before the exec's failure reached it: {}", gone.getMessage());
        }
    }

    /**
     * A detached exec: started here (a failure is the caller's error), then its output is
     * drained in the background (dockerd discards it too) and its exit code recorded.
     */
    public void runDetached(ExecInstance e) {
        launch(e);
        inBackground(e, () -> {
            try (AttachConnection conn = e.session.connection()) {
                while (conn.read() != null) {
                    // discard
                }
            } catch (Exception ex) {
                LOG.debug("detached exec {}: {}", e.id, ex.getMessage());
            }
            finish(e);
        });
    }

    private static void inBackground(ExecInstance e, Runnable task) {
        Thread t = new Thread(task, "exec-" + e.id.substring(0, 12));
        t.setDaemon(true);
        t.start();
    }

    /** Waits for the process to exit, records its exit code and releases the session. */
    private void finish(ExecInstance e) {
        try {
            e.exitCode = e.session.awaitExit();
        } catch (IOException | RuntimeException ex) {
            LOG.debug("exec {} exit code unknown: {}", e.id, ex.getMessage());
            e.exitCode = 126;
        }
        // Inspect reads Running first: once it reads false, the exit code is already there.
        e.running = false;
        e.session.close();
        try {
            Container c = containers.get(e.containerId);
            containers.emit(c, "exec_die", Map.of("execID", e.id, "exitCode", String.valueOf(e.exitCode)));
        } catch (EngineException.NotFound ignored) {
            // container went away meanwhile
        }
    }

    public void resize(String id, int height, int width) {
        ExecInstance e = get(id);
        if (e.session == null) {
            throw new EngineException.Conflict("Exec " + id + " is not running");
        }
        if (e.exitCode != null) {
            throw new EngineException.NotFound("no such exec");
        }
        try {
            e.session.resize(height, width);
        } catch (IOException ex) {
            if (e.session.exitCode() != null) {
                throw new EngineException.NotFound("no such exec");
            }
            throw new EngineException.SystemError("resize of exec " + id + " failed: " + ex.getMessage(), ex);
        }
    }

    public Map<String, Object> inspect(String id) {
        ExecInstance e = get(id);
        ExecConfig cfg = e.config;
        Map<String, Object> pc = new LinkedHashMap<>();
        pc.put("tty", Boolean.TRUE.equals(cfg.Tty));
        pc.put("entrypoint", cfg.Cmd.get(0));
        pc.put("arguments", cfg.Cmd.subList(1, cfg.Cmd.size()));
        pc.put("privileged", Boolean.TRUE.equals(cfg.Privileged));
        if (cfg.User != null && !cfg.User.isEmpty()) {
            pc.put("user", cfg.User);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", e.id);
        m.put("Running", e.running);
        m.put("ExitCode", e.exitCode);
        m.put("ProcessConfig", pc);
        m.put("OpenStdin", Boolean.TRUE.equals(cfg.AttachStdin));
        m.put("OpenStderr", Boolean.TRUE.equals(cfg.AttachStderr));
        m.put("OpenStdout", Boolean.TRUE.equals(cfg.AttachStdout));
        m.put("CanRemove", false);
        m.put("ContainerID", e.containerId);
        m.put("DetachKeys", cfg.DetachKeys == null ? "" : cfg.DetachKeys);
        m.put("Pid", e.pid);
        return m;
    }
}
