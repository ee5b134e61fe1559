package dev.muelle.engine.container;

import dev.muelle.engine.container.logs.LogOptions;
import dev.muelle.engine.container.logs.LogReader;
import dev.muelle.engine.container.logs.StdStreamFrames;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.runtime.AttachConnection;
import dev.muelle.engine.runtime.CgroupStats;
import dev.muelle.engine.runtime.CgroupStatsReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A container's streams and live figures: attach, logs, stats, top. */
public final class ContainerIO {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerIO.class);

    private final ContainerService containers;
    private final CgroupStatsReader cgroups;

    public ContainerIO(ContainerService containers, CgroupStatsReader cgroups) {
        this.containers = containers;
        this.cgroups = cgroups;
    }

    public record AttachRequest(boolean stream, boolean stdin, boolean stdout, boolean stderr, boolean logs,
                                String detachKeys) {
    }

    /**
     * An attach that has been checked and, for a container not yet started, already hooked into
     * its next start. Opened before the connection is hijacked: the client starts the container
     * as soon as it reads the 101, so the hook must be in place by then or early output is lost.
     */
    public final class AttachSession {
        private final Container container;
        private final AttachRequest request;
        private final CompletableFuture<AttachConnection> connection = new CompletableFuture<>();
        private final boolean live;

        private AttachSession(Container c, AttachRequest r) {
            this.container = c;
            this.request = r;
            boolean hooked = false;
            if (r.stream()) {
                synchronized (c) {
                    if (c.State.Running) {
                        connection.complete(containers.runtime().attach(c.Id));
                        hooked = true;
                    } else if (c.State.Status.equals("created") || c.State.Restarting || c.State.Status.equals("exited")) {
                        containers.beforeNextStart(c.Id, started -> {
                            try {
                                AttachConnection a = containers.runtime().attach(started.Id);
                                if (!connection.complete(a)) {
                                    LOG.debug("attach to {} was abandoned before start", started.shortId());
                                    a.close();
                                }
                            } catch (RuntimeException e) {
                                connection.completeExceptionally(e);
                            }
                        });
                        hooked = true;
                    }
                }
            }
            this.live = hooked;
        }

        public Container container() {
            return container;
        }

        /** Runs the session to its end on the hijacked connection. */
        public void run(ClientStreams client) throws IOException {
            Container c = container;
            boolean tty = c.Config.tty();
            StreamPump.Options o = new StreamPump.Options(tty, request.stdin() && c.Config.openStdin(), request.stdout(),
                    request.stderr(), c.Config.stdinOnce() && !tty, DetachKeys.parse(request.detachKeys()));
            if (request.logs()) {
                writeLogs(c, new LogOptions(request.stdout(), request.stderr(), false, -1, 0, 0, false), client.out(), tty);
            }
            if (!live) {
                client.closeOutput();
                return;
            }
            AttachConnection conn;
            try {
                conn = awaitStart(connection, client);
            } catch (Exception e) {
                LOG.debug("attach to {} ended before start: {}", c.shortId(), e.getMessage());
                client.closeOutput();
                return;
            }
            if (conn == null) {
                // The client left before the container started; a late hook finds the future done.
                connection.cancel(false);
                return;
            }
            StreamPump.run(conn, client, o);
        }
    }

    /** Checks an attach and, unless it only replays logs, hooks it to the container's process. */
    public AttachSession openAttach(String ref, AttachRequest r) {
        Container c = containers.get(ref);
        DetachKeys.parse(r.detachKeys());
        if (r.stream() && c.State.Paused) {
            throw new EngineException.Conflict("You cannot attach to a paused container, unpause it first");
        }
        return new AttachSession(c, r);
    }

    /** Waits for the container to start, giving up when the client goes away. */
    private static AttachConnection awaitStart(CompletableFuture<AttachConnection> conn, ClientStreams client)
            throws Exception {
        while (true) {
            try {
                return conn.get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (client instanceof Liveness l && !l.alive()) {
                    return null;
                }
            }
        }
    }

    /** Implemented by client streams that can tell whether the client is still there. */
    public interface Liveness {
        boolean alive();
    }

    // ---------------------------------------------------------------- logs

    public Container prepareLogs(String ref, LogOptions o) {
        Container c = containers.get(ref);
        if (!o.stdout() && !o.stderr()) {
            throw new EngineException.InvalidParameter("Bad parameters: you must choose at least one stream");
        }
        if (c.HostConfig.LogConfig != null && "none".equals(c.HostConfig.LogConfig.Type)) {
            throw new EngineException.InvalidParameter("configured logging driver does not support reading");
        }
        return c;
    }

    public void writeLogs(Container c, LogOptions o, OutputStream out, boolean tty) throws IOException {
        BooleanSupplier running = () -> {
            Container now = currentOrNull(c.Id);
            return now != null && (now.State.Running || now.State.Restarting);
        };
        LogReader.read(Path.of(c.LogPath), o, running, (stream, timeNanos, payload) -> {
            if (!tty) {
                out.write(StdStreamFrames.header(stream, payload.length));
            }
            out.write(payload);
            out.flush();
        });
    }

    private Container currentOrNull(String id) {
        try {
            return containers.get(id);
        } catch (EngineException.NotFound e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- stats

    /** One sample pair (dockerd waits a second for precpu) or a stream, one object per second. */
    public void stats(String ref, boolean stream, boolean oneShot, OutputStream out, BooleanSupplier clientAlive)
            throws IOException, InterruptedException {
        Container c = containers.get(ref);
        CgroupStats prev = sample(c);
        if (!stream) {
            if (!oneShot && c.State.Running) {
                Thread.sleep(1000);
            }
            CgroupStats now = oneShot ? prev : sample(c);
            writeStats(c, now, oneShot ? null : prev, out);
            return;
        }
        while (clientAlive.getAsBoolean()) {
            Thread.sleep(1000);
            CgroupStats now = sample(c);
            writeStats(c, now, prev, out);
            prev = now;
        }
    }

    private CgroupStats sample(Container c) {
        if (!c.State.Running) {
            return null;
        }
        try {
            return cgroups.read(c.CgroupsPath);
        } catch (RuntimeException e) {
            LOG.debug("stats for {}: {}", c.shortId(), e.getMessage());
            return null;
        }
    }

    private static void writeStats(Container c, CgroupStats now, CgroupStats prev, OutputStream out) throws IOException {
        ObjectNode n = now == null ? stoppedStats(c) : ContainerStatsMapper.toDockerStats(c.Id, c.Name, now, prev, null);
        Json.writeLine(out, n);
    }

    /** What dockerd reports for a container that is not running: zero times and counters. */
    private static ObjectNode stoppedStats(Container c) {
        ObjectNode n = Json.object();
        n.put("name", c.Name);
        n.put("id", c.Id);
        n.put("read", "0001-01-01T00:00:00Z");
        n.put("preread", "0001-01-01T00:00:00Z");
        n.putObject("pids_stats");
        n.putObject("blkio_stats");
        n.put("num_procs", 0);
        n.putObject("storage_stats");
        for (String k : new String[] {"cpu_stats", "precpu_stats"}) {
            ObjectNode cpu = n.putObject(k);
            ObjectNode usage = cpu.putObject("cpu_usage");
            usage.put("total_usage", 0);
            usage.put("usage_in_kernelmode", 0);
            usage.put("usage_in_usermode", 0);
            ObjectNode thr = cpu.putObject("throttling_data");
            thr.put("periods", 0);
            thr.put("throttled_periods", 0);
            thr.put("throttled_time", 0);
        }
        n.putObject("memory_stats");
        return n;
    }

    // ---------------------------------------------------------------- top

    /** {@code docker top}: the host's ps output restricted to the container's processes. */
    public Map<String, Object> top(String ref, String psArgs) throws IOException, InterruptedException {
        Container c = containers.requireRunning(ref);
        List<Integer> pids = containers.runtime().pids(c.Id);
        List<String> cmd = new ArrayList<>();
        cmd.add("ps");
        String args = psArgs == null || psArgs.isBlank() ? "-ef" : psArgs;
        for (String a : args.trim().split("\\s+")) {
            cmd.add(a);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new EngineException.SystemError("ps: " + output.trim());
        }
        String[] lines = output.split("\n");
        List<String> titles = List.of(lines[0].trim().split("\\s+"));
        int pidCol = titles.indexOf("PID");
        if (pidCol < 0) {
            throw new EngineException.SystemError("Couldn't find PID field in ps output");
        }
        List<List<String>> procs = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] fields = lines[i].trim().split("\\s+", titles.size());
            try {
                if (pids.contains(Integer.parseInt(fields[pidCol]))) {
                    procs.add(List.of(fields));
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException ignored) {
                // not a process line
            }
        }
        return Map.of("Titles", titles, "Processes", procs);
    }
}
