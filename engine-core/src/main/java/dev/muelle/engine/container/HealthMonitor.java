package dev.muelle.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.runtime.AttachConnection;
import dev.muelle.engine.runtime.ExecSession;
import dev.muelle.engine.runtime.ExecSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a container's HEALTHCHECK while it runs, as dockerd does: one probe at a time, each an exec
 * in the container, the next one an interval after the previous ended. A probe that outlives its
 * timeout is killed and counts as a failure (exit code -1). Results go into
 * {@link ContainerState#Health} through {@link ContainerService}, which persists them and announces
 * each change of status as a {@code health_status: <status>} event.
 *
 * <p>{@link #start} is called when a container starts (or is adopted after an engine restart),
 * {@link #stop} when it exits; a result that arrives after its container stopped is dropped.
 */
final class HealthMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
    /** dockerd keeps at most 4 KiB of a probe's output. */
    private static final int MAX_OUTPUT = 4096;
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int DEFAULT_RETRIES = 3;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final ContainerService service;
    private final Map<String, Monitor> monitors = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "health-timer"));
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> daemon(r, "health-probe"));

    HealthMonitor(ContainerService service) {
        this.service = service;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * A container's healthcheck with dockerd's defaults applied, or null when it has none (no
     * Healthcheck, or Test ["NONE"]). Durations in the API are nanoseconds; zero means default.
     */
    record Probe(List<String> command, Duration interval, Duration timeout, Duration startPeriod, int retries) {

        static Probe of(ContainerConfig cfg) {
            JsonNode hc = cfg.Healthcheck;
            if (hc == null || !hc.isObject()) {
                return null;
            }
            List<String> test = new ArrayList<>();
            hc.path("Test").forEach(t -> test.add(t.asText()));
            if (test.isEmpty() || test.get(0).equals("NONE")) {
                return null;
            }
            List<String> command = new ArrayList<>();
            switch (test.get(0)) {
                case "CMD" -> command.addAll(test.subList(1, test.size()));
                case "CMD-SHELL" -> {
                    command.addAll(cfg.Shell == null || cfg.Shell.isEmpty() ? List.of("/bin/sh", "-c") : cfg.Shell);
                    command.add(String.join(" ", test.subList(1, test.size())));
                }
                default -> {
                    return null;
                }
            }
            if (command.isEmpty()) {
                return null;
            }
            int retries = hc.path("Retries").asInt(0);
            return new Probe(command, nanos(hc, "Interval", DEFAULT_INTERVAL), nanos(hc, "Timeout", DEFAULT_TIMEOUT),
                    nanos(hc, "StartPeriod", Duration.ZERO), retries > 0 ? retries : DEFAULT_RETRIES);
        }

        private static Duration nanos(JsonNode hc, String field, Duration dflt) {
            long n = hc.path(field).asLong(0);
            return n > 0 ? Duration.ofNanos(n) : dflt;
        }
    }

    /** The probe loop of one container run; cancelled when that run ends. */
    private final class Monitor {
        final Container container;
        final Probe probe;
        final AtomicBoolean cancelled = new AtomicBoolean();
        volatile ScheduledFuture<?> next;

        Monitor(Container container, Probe probe) {
            this.container = container;
            this.probe = probe;
        }

        void schedule() {
            if (!cancelled.get()) {
                next = timer.schedule(() -> probes.execute(this::runOnce), probe.interval().toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        void runOnce() {
            if (cancelled.get()) {
                return;
            }
            Health.Result result;
            try {
                result = HealthMonitor.this.run(container, probe);
            } catch (RuntimeException e) {
                LOG.warn("health check of {} failed to run: {}", container.shortId(), e.getMessage());
                result = new Health.Result(Instant.now().toString(), Instant.now().toString(), -1, String.valueOf(e.getMessage()));
            }
            service.healthResult(container, result, probe, cancelled);
            schedule();
        }
    }

    /** Sets the container's health to starting (keeping the log, as dockerd does) and begins probing. */
    void start(Container c) {
        stop(c.Id);
        Probe probe = Probe.of(c.Config);
        if (probe == null) {
            return;
        }
        if (c.State.Health == null) {
            c.State.Health = new Health();
        }
        c.State.Health.Status = Health.STARTING;
        c.State.Health.FailingStreak = 0;
        resume(c, probe);
    }

    /** Probes an adopted running container again, with the health it had. */
    void resume(Container c) {
        Probe probe = Probe.of(c.Config);
        if (probe != null) {
            if (c.State.Health == null) {
                c.State.Health = new Health();
            }
            resume(c, probe);
        }
    }

    private void resume(Container c, Probe probe) {
        Monitor m = new Monitor(c, probe);
        monitors.put(c.Id, m);
        m.schedule();
    }

    /** Stops probing; a probe in flight is left to finish but its result is dropped. */
    void stop(String id) {
        Monitor m = monitors.remove(id);
        if (m != null) {
            m.cancelled.set(true);
            ScheduledFuture<?> f = m.next;
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    void shutdown() {
        for (Entry<String, Monitor> e : monitors.entrySet()) {
            e.getValue().cancelled.set(true);
        }
        timer.shutdownNow();
        probes.shutdownNow();
    }

    /** One probe: an exec with the container's user, environment and working directory. */
    private Health.Result run(Container c, Probe probe) {
        Instant start = Instant.now();
        String execId = HexFormat.of().formatHex(randomId());
        String label = String.join(" ", probe.command());
        ExecSession session = service.runtime().exec(c.Id, new ExecSpec(probe.command(), List.of(), null, null, null,
                false, false, false));
        service.emit(c, "exec_create: " + label, Map.of("execID", execId));
        service.emit(c, "exec_start: " + label, Map.of("execID", execId));
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> killer = timer.schedule(() -> {
            timedOut.set(true);
            ProcessHandle.of(session.pid()).ifPresent(ProcessHandle::destroyForcibly);
            session.connection().close();
        }, probe.timeout().toNanos(), TimeUnit.NANOSECONDS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean truncated = false;
        int exitCode;
        try {
            AttachConnection.Frame frame;
            while ((frame = session.connection().read()) != null) {
                int room = MAX_OUTPUT - out.size();
                if (frame.data().length > room) {
                    truncated = true;
                }
                out.write(frame.data(), 0, Math.min(room, frame.data().length));
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("reading health probe output of {}: {}", c.shortId(), e.getMessage());
        }
        try {
            exitCode = session.awaitExit();
        } catch (java.io.IOException e) {
            exitCode = -1;
        } finally {
            killer.cancel(false);
            session.discard();
        }
        service.emit(c, "exec_die", Map.of("execID", execId, "exitCode", String.valueOf(exitCode)));
        if (timedOut.get()) {
            return new Health.Result(start.toString(), Instant.now().toString(), -1,
                    "Health check exceeded timeout (" + goDuration(probe.timeout()) + ")");
        }
        String output = out.toString(StandardCharsets.UTF_8) + (truncated ? "..." : "");
        return new Health.Result(start.toString(), Instant.now().toString(), exitCode, output);
    }

    private static byte[] randomId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * Applies one probe result to {@code h} as dockerd does and returns whether the status changed.
     * A failure while starting and within the start period does not count.
     */
    static boolean apply(Health h, Health.Result r, Probe probe, Instant startedAt) {
        String before = h.Status;
        h.Log.add(r);
        while (h.Log.size() > Health.MAX_LOG) {
            h.Log.remove(0);
        }
        if (r.ExitCode == 0) {
            h.FailingStreak = 0;
            h.Status = Health.HEALTHY;
        } else {
            boolean inStartPeriod = Health.STARTING.equals(h.Status)
                    && Duration.between(startedAt, Instant.parse(r.Start)).compareTo(probe.startPeriod()) < 0;
            if (!inStartPeriod) {
                h.FailingStreak++;
                if (h.FailingStreak >= probe.retries()) {
                    h.Status = Health.UNHEALTHY;
                }
            }
        }
        return !h.Status.equals(before);
    }

    /** Go's time.Duration.String for the durations a healthcheck takes: 1s, 1.5s, 500ms, 1m30s, 1h0m0s. */
    static String goDuration(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        if (nanos < 1_000_000_000L) {
            if (nanos % 1_000_000 == 0) {
                return nanos / 1_000_000 + "ms";
            }
            if (nanos % 1_000 == 0) {
                return trim(nanos / 1000.0 / 1000.0) + "ms";
            }
            return trim(nanos / 1e6) + "ms";
        }
        long hours = nanos / 3_600_000_000_000L;
        long minutes = nanos / 60_000_000_000L % 60;
        double seconds = (nanos % 60_000_000_000L) / 1e9;
        StringBuilder sb = new StringBuilder();
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            sb.append(minutes).append('m');
        }
        return sb.append(trim(seconds)).append('s').toString();
    }

    private static String trim(double v) {
        return java.math.BigDecimal.valueOf(v).setScale(9, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }
}
