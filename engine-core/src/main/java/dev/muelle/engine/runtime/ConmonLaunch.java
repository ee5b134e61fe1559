package dev.muelle.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One start of conmon and the parent's side of its pipes.
 *
 * <p>Conmon talks to its parent over inherited descriptors named by environment variables:
 * {@code _OCI_SYNCPIPE} (conmon writes {@code {"data": N, "message": "..."}} lines: the container
 * or exec pid once the runtime succeeded, a negative number plus runc's error text when it failed,
 * and for exec sessions finally the exit code), {@code _OCI_STARTPIPE} (conmon blocks on a read
 * before forking, and an exec with {@code --exec-attach} blocks on a second read before running
 * {@code runc exec}, so nothing is lost before the client attached) and {@code _OCI_ATTACHPIPE}
 * (conmon writes one line once the exec attach socket listens).
 *
 * <p>{@link ProcessBuilder} cannot pass extra descriptors, and its streams are closed by the JDK
 * as soon as the direct child exits, which conmon's first process does immediately after forking
 * the monitor. So conmon is started with posix_spawn: the pipes land on fds 3, 4 and 5, every
 * other descriptor of the engine is closed, stdin is /dev/null and conmon's own stdout/stderr
 * (which the daemonised monitor replaces by /dev/null right after the fork) go to a pipe we read
 * for diagnostics. The first process is reaped here; the monitor is re-parented to init (or to the
 * nearest sub-reaper) and lives in its own session, so it survives the engine.
 */
final class ConmonLaunch implements AutoCloseable {


    /** One line conmon wrote to the sync or attach pipe. */
    record Message(int data, String message) {
    }

    private final int syncFd;
    private final int startFd;
    private final int attachFd;
    private final ByteArrayOutputStream syncBuffer = new ByteArrayOutputStream();
    private final ByteArrayOutputStream attachBuffer = new ByteArrayOutputStream();
    private String output = "";

    private ConmonLaunch(int syncFd, int startFd, int attachFd) {
        this.syncFd = syncFd;
        this.startFd = startFd;
        this.attachFd = attachFd;
    }

    /**
     * Spawns conmon and waits for its first process to exit (it forks the monitor and leaves).
     *
     * @param withExecAttach also create the start and attach pipes (exec with --exec-attach)
     */
    static ConmonLaunch start(List<String> argv, Path cwd, boolean withExecAttach) throws IOException {
        int[] sync = Posix.pipe();
        int[] out = Posix.pipe();
        int[] start = withExecAttach ? Posix.pipe() : null;
        int[] attach = withExecAttach ? Posix.pipe() : null;
        List<String> env = new ArrayList<>(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "_OCI_SYNCPIPE=3"));
        int[] inherit;
        if (withExecAttach) {
            env.add("_OCI_STARTPIPE=4");
            env.add("_OCI_ATTACHPIPE=5");
            inherit = new int[] {sync[1], start[0], attach[1]};
        } else {
            inherit = new int[] {sync[1]};
        }
        int pid;
        try {
            pid = Posix.spawn(argv.toArray(String[]::new), env.toArray(String[]::new), cwd.toString(), out[1], inherit);
        } catch (IOException e) {
            closeAll(sync, out, start, attach);
            throw e;
        } finally {
            for (int fd : inherit) {
                Posix.closeQuietly(fd);
            }
            Posix.closeQuietly(out[1]);
        }
        ConmonLaunch launch = new ConmonLaunch(sync[0], start == null ? -1 : start[1], attach == null ? -1 : attach[0]);
        try {
            if (withExecAttach) {
                // Conmon reads the start pipe once before forking: podman uses that pause to move it into
                // a cgroup. We have nothing to do there, so release it at once.
                launch.signalStart();
            }
            String diagnostics = drain(out[0]);
            int status = Posix.waitFor(pid);
            if (status != 0) {
                throw new IOException("conmon exited with status " + status + ": " + diagnostics.strip());
            }
            launch.output = diagnostics;
            return launch;
        } catch (IOException | RuntimeException e) {
            launch.close();
            throw e;
        } finally {
            Posix.closeQuietly(out[0]);
        }
    }

    /** Conmon's own output from before it daemonised: usually empty, option errors otherwise. */
    String output() {
        return output;
    }

    /** Lets an exec with --exec-attach proceed (or conmon fork, on the first call). */
    void signalStart() throws IOException {
        Posix.writeFully(startFd, new byte[] {'0'});
    }

    /** The next sync-pipe message, or null when conmon closed the pipe without writing one. */
    Message readSync(Duration timeout) throws IOException {
        return readMessage(syncFd, syncBuffer, timeout);
    }

    /** The attach-ready message of an exec with --exec-attach, or null if conmon went away. */
    Message readAttachReady(Duration timeout) throws IOException {
        return readMessage(attachFd, attachBuffer, timeout);
    }

    private static Message readMessage(int fd, ByteArrayOutputStream buffer, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] chunk = new byte[4096];
        while (true) {
            String pending = buffer.toString(StandardCharsets.UTF_8);
            int newline = pending.indexOf('\n');
            if (newline >= 0) {
                buffer.reset();
                byte[] rest = pending.substring(newline + 1).getBytes(StandardCharsets.UTF_8);
                buffer.write(rest, 0, rest.length);
                return parse(pending.substring(0, newline));
            }
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            if (left == 0 || !Posix.awaitReadable(fd, (int) Math.min(left, Integer.MAX_VALUE))) {
                throw new IOException("conmon did not answer within " + timeout.toSeconds() + "s");
            }
            int n = Posix.read(fd, chunk);
            if (n == 0) {
                return pending.isBlank() ? null : parse(pending);
            }
            buffer.write(chunk, 0, n);
        }
    }

    private static Message parse(String line) throws IOException {
        JsonNode node = Json.parse(line);
        JsonNode message = node.get("message");
        return new Message(node.path("data").asInt(), message == null ? "" : message.asText());
    }

    private static String drain(int fd) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = Posix.read(fd, chunk)) > 0) {
            all.write(chunk, 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    private static void closeAll(int[]... pipes) {
        for (int[] pipe : pipes) {
            if (pipe != null) {
                Posix.closeQuietly(pipe[0]);
                Posix.closeQuietly(pipe[1]);
            }
        }
    }

    /** Closes our ends; conmon keeps running and simply finds nobody listening. */
    @Override
    public void close() {
        Posix.closeQuietly(syncFd);
        Posix.closeQuietly(startFd);
        Posix.closeQuietly(attachFd);
    }
}
