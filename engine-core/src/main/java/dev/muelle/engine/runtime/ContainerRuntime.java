package dev.muelle.engine.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs OCI bundles and supervises them, so that containers outlive the engine.
 *
 * <p>Words: a container is <em>created</em> when the runtime has set up its namespaces and its init
 * process waits to be started; <em>running</em> after {@link #start}; <em>stopped</em> once that
 * process exited, which a per-container monitor records (exit code, OOM kill) even while the engine
 * is down. A stopped container keeps its runtime state until {@link #delete}.
 *
 * <p>Run a container: {@link #create} (returns the pid), optionally {@link #attach} before
 * {@link #start} so no output is missed, then learn of its end through {@link #watchExits}. After an
 * engine restart, {@link #state} and {@link #monitorAlive} tell what is still running and
 * {@link ExitWatcher#scanExisting()} reports what ended meanwhile.
 *
 * <p>Failures are {@link dev.muelle.engine.errors.EngineException}s carrying the runtime's own
 * message text, as Docker shows it.
 */
public interface ContainerRuntime {

    /** Creates the container from {@code bundleDir} (config.json + rootfs) and returns its pid. */
    int create(String id, Path bundleDir, CreateOptions options);

    void start(String id);

    /** The runtime's view; {@link RuntimeState#missing()} for an unknown container. */
    RuntimeState state(String id);

    /** Sends {@code signal} to the init process, or with {@code all} to every process in it. */
    void kill(String id, int signal, boolean all);

    void pause(String id);

    void resume(String id);

    /** Forgets the container and its monitor's files; {@code force} kills it first if running. */
    void delete(String id, boolean force);

    /**
     * Applies new resource limits to a running container (memory, swap, CPU, cpuset, pids);
     * zero fields are left as they are. Fails with the runtime's message, e.g. a memory limit
     * below what the container already uses.
     */
    void update(String id, RuntimeSpec.Resources resources);

    /** Host pids of every process in the container. */
    List<Integer> pids(String id);

    /**
     * Starts {@code spec} inside the running container, attached, and returns once it runs. The
     * caller owns the session and must close it (closing does not stop the process).
     */
    ExecSession exec(String id, ExecSpec spec);

    /**
     * Connects to the container's stdio; works from creation until the container exits. Attach
     * before {@link #start} to see all output. The caller closes the connection.
     */
    AttachConnection attach(String id);

    /** Sets the terminal size of a container created with a tty. */
    void resize(String id, int height, int width);

    /** The recorded exit code, or null while the container has not exited. */
    Integer exitCode(String id);

    boolean oomKilled(String id);

    /** Whether the container's monitor process is alive. */
    boolean monitorAlive(String id);

    /** Starts watching for container exits; close the watcher to stop. */
    ExitWatcher watchExits(ExitListener listener);
}
