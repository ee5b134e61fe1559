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
 * their exit code afterwards. Like dockerd, instances live in memory only.
 */
public final class ExecService {

    private static final Logger LOG = LoggerFactory.getLogger(ExecService.class);
    private static final java.time.Duration EXIT_GRACE = java.time.Duration.ofSeconds(5);
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
    }

    /** One exec: its settings and, once started, its session and outcome. */
    public static final class ExecInstance {
        final String id;
        final String containerId;
        final ExecConfig config;
        volatile boolean running;
        volatile boolean started;
        volatile Integer exitCode;
        volatile int pid;
        volatile ExecSession session;
        volatile boolean tty;

        public boolean tty() {
            return tty;
        }

        ExecInstance(String id, String containerId, ExecConfig config) {
            this.id = id;
            this.containerId = containerId;
            this.config = config;
        }
    }

    public String create(String ref, ExecConfig cfg) {
        Container c = containers.requireRunning(ref);
        if (cfg == null || cfg.Cmd == null || cfg.Cmd.isEmpty()) {
            throw new EngineException.InvalidParameter("No exec command specified");
        }
        DetachKeys.parse(cfg.DetachKeys);
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        execs.put(id, new ExecInstance(id, c.Id, cfg));
        containers.emit(c, "exec_create: " + String.join(" ", cfg.Cmd), Map.of("execID", id));
        return id;
    }

    ExecInstance get(String id) {
        ExecInstance e = execs.get(id);
        if (e == null) {
            throw EngineException.NotFound.exec(id);
        }
        return e;
    }

    /**
     * Checks that the exec may start and settles its TTY; {@link #launch} then starts the process.
     * Two steps because an attached client must have its upgrade response before the process
     * writes anything, as with dockerd: docker-py reads the response head with a buffered reader
     * and loses output that arrives in the same read.
     */
    public ExecInstance start(String id, Boolean ttyOverride) {
        ExecInstance e = get(id);
        synchronized (e) {
            if (e.started) {
                throw new EngineException.Conflict("Error: Exec command " + id + " has already run");
            }
            e.started = true;
        }
        containers.requireRunning(e.containerId);
        e.tty = ttyOverride != null ? ttyOverride : Boolean.TRUE.equals(e.config.Tty);
        return e;
    }

    /** Launches the process of a {@link #start started} exec; the connection is pumped by {@link #pump}. */
    public void launch(ExecInstance e) {
        Container c = containers.requireRunning(e.containerId);
        ExecConfig cfg = e.config;
        boolean tty = e.tty;
        Integer uid = null;
        Integer gid = null;
        if (cfg.User != null && !cfg.User.isEmpty()) {
            var u = new UserResolver(containers.rootfs(c)).resolve(cfg.User, List.of());
            uid = u.uid();
            gid = u.gid();
        }
        List<String> env = cfg.Env == null ? List.of() : cfg.Env;
        ExecSpec spec = new ExecSpec(cfg.Cmd, env, cfg.WorkingDir == null || cfg.WorkingDir.isEmpty() ? null : cfg.WorkingDir,
                uid, gid, tty, Boolean.TRUE.equals(cfg.AttachStdin), Boolean.TRUE.equals(cfg.Privileged));
        ExecSession session;
        try {
            session = containers.runtime().exec(c.Id, spec);
        } catch (RuntimeException failed) {
            e.exitCode = 126; // dockerd's code for an exec that could not start
            throw failed;
        }
        e.session = session;
        e.pid = session.pid();
        e.running = true;
        containers.emit(c, "exec_start: " + String.join(" ", cfg.Cmd), Map.of("execID", e.id));
    }

    /** Tells an attached client why its exec did not start, as dockerd does once the stream has begun. */
    public void reportLaunchFailure(ExecInstance e, ClientStreams client, String message) {
        byte[] text = (message + "\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (!e.tty) {
                client.out().write(StdStreamFrames.header(StdStream.STDOUT, text.length));
            }
            client.out().write(text);
            client.out().flush();
        } catch (IOException gone) {
            LOG.debug("exec {}: client gone before hearing {}", e.id, message);
        } finally {
            client.closeOutput();
        }
    }

    /** Runs an attached exec session to its end and records the exit code. */
    public void pump(ExecInstance e, ClientStreams client) {
        boolean tty = e.tty;
        ExecConfig cfg = e.config;
        AttachConnection conn = e.session.connection();
        StreamPump.run(conn, client, new StreamPump.Options(tty, Boolean.TRUE.equals(cfg.AttachStdin),
                !Boolean.FALSE.equals(cfg.AttachStdout), !Boolean.FALSE.equals(cfg.AttachStderr), !tty,
                DetachKeys.parse(cfg.DetachKeys)), () -> awaitFinish(e));
    }

    /**
     * Records the exit code before the client sees the end of the output, as dockerd does:
     * clients such as docker-py inspect the exec as soon as its output ends. Bounded, because a
     * client that detached leaves the process running; its exit is then recorded later.
     */
    private void awaitFinish(ExecInstance e) {
        Thread finisher = new Thread(() -> finish(e), "exec-exit-" + e.id.substring(0, 12));
        finisher.setDaemon(true);
        finisher.start();
        try {
            finisher.join(EXIT_GRACE.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A detached exec: output is drained (dockerd discards it too), the exit code recorded. */
    public void runDetached(ExecInstance e) {
        Thread t = new Thread(() -> {
            try (AttachConnection conn = e.session.connection()) {
                while (conn.read() != null) {
                    // discard
                }
            } catch (Exception ex) {
                LOG.debug("detached exec {}: {}", e.id, ex.getMessage());
            }
            finish(e);
        }, "exec-" + e.id.substring(0, 12));
        t.setDaemon(true);
        t.start();
    }

    private void finish(ExecInstance e) {
        try {
            e.exitCode = e.session.awaitExit();
        } catch (IOException | RuntimeException ex) {
            LOG.debug("exec {} exit code unknown: {}", e.id, ex.getMessage());
            e.exitCode = 126;
        }
        e.running = false;
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
        try {
            e.session.resize(height, width);
        } catch (IOException ex) {
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
        pc.put("user", cfg.User == null ? "" : cfg.User);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", e.id);
        m.put("Running", e.running);
        m.put("ExitCode", e.exitCode);
        m.put("ProcessConfig", pc);
        m.put("OpenStdin", Boolean.TRUE.equals(cfg.AttachStdin));
        m.put("OpenStderr", !Boolean.FALSE.equals(cfg.AttachStderr));
        m.put("OpenStdout", !Boolean.FALSE.equals(cfg.AttachStdout));
        m.put("CanRemove", false);
        m.put("ContainerID", e.containerId);
        m.put("DetachKeys", cfg.DetachKeys == null ? "" : cfg.DetachKeys);
        m.put("Pid", e.pid);
        return m;
    }
}
