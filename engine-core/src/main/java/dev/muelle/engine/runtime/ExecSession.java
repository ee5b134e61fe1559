package dev.muelle.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A process started by {@link ContainerRuntime#exec} and the conmon that monitors it. Its stdio is
 * reachable through {@link #connection()} from the moment {@code exec} returns (conmon held the
 * process back until we had connected). The exit code comes from conmon's exit file, so
 * {@link #exitCode()} also works for sessions the engine lost track of.
 */
public final class ExecSession implements AutoCloseable {

    private final String id;
    private final String containerId;
    private final int pid;
    private final AttachConnection connection;
    private final ConmonLaunch launch;
    private final Path exitFile;
    private final Path controlFifo;
    private final Path socketLink;

    ExecSession(String id, String containerId, int pid, AttachConnection connection, ConmonLaunch launch,
                Path exitFile, Path controlFifo, Path socketLink) {
        this.id = id;
        this.containerId = containerId;
        this.pid = pid;
        this.connection = connection;
        this.launch = launch;
        this.exitFile = exitFile;
        this.controlFifo = controlFifo;
        this.socketLink = socketLink;
    }

    /** This session's id: the name of its directory and of its attach socket link. */
    public String id() {
        return id;
    }

    public String containerId() {
        return containerId;
    }

    /** The exec'd process's pid on the host. */
    public int pid() {
        return pid;
    }

    public AttachConnection connection() {
        return connection;
    }

    /** The exit code, or null while the process runs. */
    public Integer exitCode() {
        return ConmonRuncRuntime.readExitCode(exitFile);
    }

    /**
     * Blocks until the process ended and returns its exit code. Conmon reports it on the sync pipe
     * after writing the exit file, so this needs no polling.
     */
    public int awaitExit() throws IOException {
        ConmonLaunch.Message message = launch.readSync(Duration.ofDays(365));
        Integer fromFile = exitCode();
        if (fromFile != null) {
            return fromFile;
        }
        if (message == null) {
            throw new IOException("conmon for exec " + id + " went away without recording an exit code");
        }
        return message.data();
    }

    /** Sets the exec's terminal size (only meaningful for a tty exec). */
    public void resize(int height, int width) throws IOException {
        ConmonRuncRuntime.writeResize(controlFifo, height, width);
    }

    /** Drops the engine's handles; the process keeps running if it still does. */
    @Override
    public void close() {
        connection.close();
        launch.close();
        if (exitCode() != null) {
            try {
                Files.deleteIfExists(socketLink);
            } catch (IOException ignored) {
                // a stale link is removed again with the container
            }
        }
    }

    /**
     * {@link #close} and, once the process has exited, removes the session's files too: for
     * sessions nobody will ask about again (health probes), which would otherwise pile up until
     * the container stops.
     */
    public void discard() {
        close();
        if (exitCode() == null) {
            return;
        }
        Path dir = exitFile.getParent().getParent();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // removed with the container at the latest
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
