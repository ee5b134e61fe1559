package dev.muelle.engine.container;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.events.EventBus;
import dev.muelle.engine.image.Image;
import dev.muelle.engine.image.ImageService;
import dev.muelle.engine.image.Snapshotter;
import dev.muelle.engine.network.ContainerDirectory;
import dev.muelle.engine.network.NetworkRequests;
import dev.muelle.engine.network.NetworkService;
import dev.muelle.engine.network.PublishedPorts;
import dev.muelle.engine.network.Sandbox;
import dev.muelle.engine.runtime.ContainerRuntime;
import dev.muelle.engine.runtime.RuntimeState;
import dev.muelle.engine.system.IdlePools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The container lifecycle: create → start → (pause ⇄ unpause) → exit → (restart) → remove.
 *
 * <p>State lives in {@link Container} records, one monitor per container serialises its
 * transitions, and every transition is written to SQLite before it is announced (events,
 * waiters), so after a crash the database is never ahead of what clients saw. Processes are run
 * by {@link ContainerRuntime} (runc under conmon); exits arrive from its exit watcher, also for
 * containers that ended while the engine was down.
 */
public final class ContainerService {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContainerRepository repo;
    private final ImageService images;
    private final Snapshotter snapshots;
    private final ContainerRuntime runtime;
    private final EventBus events;
    private final ContainerFiles files;
    private final NetworkService networks;
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<Integer>>> exitWaiters = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<Integer>>> removeWaiters = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<Container>>> beforeStart = new ConcurrentHashMap<>();
    private final Map<String, Integer> rootfsUsers = new ConcurrentHashMap<>();
    private final HealthMonitor health = new HealthMonitor(this);
    private final ScheduledExecutorService scheduler = IdlePools.scheduled("container-scheduler");

    public ContainerService(dev.muelle.engine.store.Database db, ImageService images, Snapshotter snapshots,
                            ContainerRuntime runtime, EventBus events, ContainerFiles files, NetworkService networks) {
        this.repo = new ContainerRepository(db);
        this.networks = networks;
        this.images = images;
        this.snapshots = snapshots;
        this.runtime = runtime;
        this.events = events;
        this.files = files;
        for (Container c : repo.all()) {
            containers.put(c.Id, c);
        }
    }

    // ---------------------------------------------------------------- lookup

    /** By full ID, by name (with or without the leading slash), then by unique ID prefix. */
    public Container get(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw EngineException.NotFound.container(String.valueOf(ref));
        }
        Container c = containers.get(ref);
        if (c != null) {
            return c;
        }
        String name = ref.startsWith("/") ? ref : "/" + ref;
        for (Container x : containers.values()) {
            if (x.Name.equals(name)) {
                return x;
            }
        }
        List<Container> byPrefix = containers.values().stream().filter(x -> x.Id.startsWith(ref)).toList();
        if (byPrefix.size() == 1) {
            return byPrefix.get(0);
        }
        if (byPrefix.size() > 1) {
            throw new EngineException.InvalidParameter("Multiple IDs found with provided prefix: " + ref);
        }
        throw EngineException.NotFound.container(ref);
    }

    public List<Container> all() {
        List<Container> list = new ArrayList<>(containers.values());
        list.sort((a, b) -> b.Created.compareTo(a.Created));
        return list;
    }

    /** {@code docker ps}: running ones unless {@code all}, newest first, filtered, at most {@code limit}. */
    public List<Container> list(boolean all, int limit, Map<String, List<String>> filters) {
        ContainerFilters.validate(filters);
        List<Container> out = new ArrayList<>();
        for (Container c : all()) {
            boolean statusFiltered = filters.containsKey("status") || filters.containsKey("exited");
            if (!all && limit <= 0 && !statusFiltered && !c.State.Running) {
                continue;
            }
            if (!ContainerFilters.matches(c, filters, ref -> {
                try {
                    return images.resolve(ref).id();
                } catch (EngineException e) {
                    return null;
                }
            }, this::get)) {
                continue;
            }
            out.add(c);
            if (limit > 0 && out.size() >= limit) {
                break;
            }
        }
        return out;
    }

    /** GraphDriver.Data for inspect: the overlay directories of the container's root filesystem. */
    public Map<String, String> graphDriverData(Container c) {
        try {
            var snap = snapshots.get(c.Id);
            Map<String, String> m = new LinkedHashMap<>();
            m.put("LowerDir", String.join(":", snap.lowerDirs().stream().map(Path::toString).toList()));
            m.put("UpperDir", snap.upperDir().toString());
            m.put("WorkDir", snap.workDir().toString());
            m.put("MergedDir", snap.mergedDir().toString());
            return m;
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /** The running subset of {@link #containersUsing}: those block even a forced image removal. */
    public List<String> runningContainersUsing(String imageId) {
        return containers.values().stream().filter(c -> imageId.equals(c.Image) && c.State.Running)
                .map(c -> c.Id).toList();
    }

    /** Container IDs that mount volume {@code name}: such a volume can't be removed. */
    public List<String> containersUsingVolume(String name) {
        return containers.values().stream()
                .filter(c -> c.Mounts != null && c.Mounts.stream().anyMatch(m -> name.equals(m.name())))
                .map(c -> c.Id).toList();
    }

    /** Container IDs whose image is {@code imageId}: images in use can't be removed without force. */
    public List<String> containersUsing(String imageId) {
        return containers.values().stream().filter(c -> imageId.equals(c.Image)).map(c -> c.Id).toList();
    }

    // ---------------------------------------------------------------- create

    public record Created(String id, List<String> warnings) {
    }

    public Created create(String name, ContainerConfig cfg, HostConfig hc) {
        return create(name, cfg, hc, Map.of());
    }

    /** {@code endpoints}: NetworkingConfig.EndpointsConfig, the aliases and addresses asked for per network. */
    public Created create(String name, ContainerConfig cfg, HostConfig hc,
                          Map<String, NetworkRequests.Endpoint> endpoints) {
        if (cfg == null) {
            throw new EngineException.InvalidParameter("config cannot be empty in order to create a container");
        }
        if (hc == null) {
            hc = new HostConfig();
        }
        if (name != null && !name.isEmpty()) {
            Validation.name(name);
        }
        if (cfg.Image == null || cfg.Image.isBlank()) {
            throw new EngineException.InvalidParameter("No image was specified in the container configuration");
        }
        Validation.hostConfig(hc, Runtime.getRuntime().availableProcessors());
        SharedNamespaces.validateAndDefault(hc);
        Validation.healthcheck(cfg.Healthcheck);
        Image image = images.resolve(cfg.Image);

        Container c = new Container();
        c.Id = newId();
        c.Created = Instant.now().toString();
        c.Image = image.id();
        applyImageDefaults(cfg, image);
        List<String> argv = new ArrayList<>();
        if (cfg.Entrypoint != null) {
            argv.addAll(cfg.Entrypoint);
        }
        if (cfg.Cmd != null) {
            argv.addAll(cfg.Cmd);
        }
        if (argv.isEmpty()) {
            throw new EngineException.InvalidParameter("No command specified");
        }
        c.Path = argv.get(0);
        c.Args = new ArrayList<>(argv.subList(1, argv.size()));
        if (cfg.Hostname == null || cfg.Hostname.isEmpty()) {
            cfg.Hostname = c.Id.substring(0, 12);
        }
        if (hc.LogConfig == null || hc.LogConfig.Type == null || hc.LogConfig.Type.isEmpty()) {
            hc.LogConfig = new HostConfig.LogConfig();
            hc.LogConfig.Type = "json-file";
            hc.LogConfig.Config = Map.of();
        }
        if (hc.NetworkMode == null || hc.NetworkMode.isEmpty() || hc.NetworkMode.equals("default")) {
            hc.NetworkMode = "bridge";
        }
        if (hc.memory() > 0 && (hc.MemorySwap == null || hc.MemorySwap == 0)) {
            hc.MemorySwap = 2 * hc.memory(); // dockerd's default: as much swap as memory
        }
        if (hc.RestartPolicy == null) {
            hc.RestartPolicy = new HostConfig.RestartPolicy();
            hc.RestartPolicy.Name = "no";
            hc.RestartPolicy.MaximumRetryCount = 0;
        }
        c.Config = cfg;
        c.HostConfig = hc;
        c.CgroupsPath = "/muelle/" + c.Id;
        c.Mounts = new ArrayList<>(files.mounts().resolve(c, this::get));

        boolean named = name != null && !name.isEmpty();
        for (int attempt = 0; ; attempt++) {
            c.Name = "/" + (named ? (name.startsWith("/") ? name.substring(1) : name) : NameGenerator.next(attempt));
            try {
                files.prepare(c);
                snapshots.prepare(c.Id, image.id());
                repo.insert(c);
                try {
                    networks.join(c.Id, c.bareName(), hc.NetworkMode, endpoints);
                } catch (RuntimeException e) {
                    repo.delete(c.Id); // the files and snapshot go in the catch below
                    throw e;
                }
                break;
            } catch (EngineException.Conflict e) {
                cleanupFailedCreate(c);
                if (named || attempt > 5) {
                    throw e;
                }
            } catch (RuntimeException e) {
                cleanupFailedCreate(c);
                throw e;
            }
        }
        containers.put(c.Id, c);
        emit(c, "create", Map.of());
        return new Created(c.Id, List.of());
    }

    private void cleanupFailedCreate(Container c) {
        files.mounts().release(c, true);
        try {
            snapshots.remove(c.Id);
        } catch (RuntimeException ignored) {
            // nothing was prepared
        }
        files.remove(c);
    }

    private static void applyImageDefaults(ContainerConfig cfg, Image image) {
        Map<String, String> env = new LinkedHashMap<>();
        for (List<String> source : java.util.Arrays.asList(image.env(), cfg.Env)) {
            if (source == null) {
                continue;
            }
            for (String kv : source) {
                int eq = kv.indexOf('=');
                env.put(eq < 0 ? kv : kv.substring(0, eq), kv);
            }
        }
        cfg.Env = new ArrayList<>(env.values());
        // --entrypoint "" arrives as [""]: it clears the image's entrypoint.
        boolean userEntrypoint = cfg.Entrypoint != null;
        if (cfg.Entrypoint != null && cfg.Entrypoint.size() == 1 && cfg.Entrypoint.get(0).isEmpty()) {
            cfg.Entrypoint = null;
        } else if (cfg.Entrypoint == null) {
            cfg.Entrypoint = image.entrypoint().isEmpty() ? null : image.entrypoint();
        }
        if ((cfg.Cmd == null || cfg.Cmd.isEmpty()) && !userEntrypoint) {
            cfg.Cmd = image.cmd();
        }
        if (cfg.WorkingDir == null || cfg.WorkingDir.isEmpty()) {
            cfg.WorkingDir = image.workingDir();
        }
        if (cfg.User == null || cfg.User.isEmpty()) {
            cfg.User = image.user();
        }
        if ((cfg.StopSignal == null || cfg.StopSignal.isEmpty()) && !image.stopSignal().isEmpty()) {
            cfg.StopSignal = image.stopSignal();
        }
        Map<String, String> labels = new LinkedHashMap<>(image.labels());
        if (cfg.Labels != null) {
            labels.putAll(cfg.Labels);
        }
        cfg.Labels = labels;
        if (!image.exposedPorts().isEmpty()) {
            Map<String, Object> ports = new LinkedHashMap<>();
            image.exposedPorts().forEach(p -> ports.put(p, Map.of()));
            if (cfg.ExposedPorts != null) {
                ports.putAll(cfg.ExposedPorts);
            }
            cfg.ExposedPorts = ports;
        }
        if (!image.volumes().isEmpty()) {
            Map<String, Object> vols = new LinkedHashMap<>();
            image.volumes().forEach(v -> vols.put(v, Map.of()));
            if (cfg.Volumes != null) {
                vols.putAll(cfg.Volumes);
            }
            cfg.Volumes = vols;
        }
        if (image.healthcheck() != null && image.healthcheck().isObject()) {
            if (cfg.Healthcheck == null || !cfg.Healthcheck.isObject()) {
                cfg.Healthcheck = image.healthcheck();
            } else {
                // dockerd's merge: what the user left out (--health-interval alone) comes from the image
                var user = (com.fasterxml.jackson.databind.node.ObjectNode) cfg.Healthcheck;
                if (user.path("Test").size() == 0 && image.healthcheck().has("Test")) {
                    user.set("Test", image.healthcheck().get("Test"));
                }
                for (String field : List.of("Interval", "Timeout", "StartPeriod", "Retries")) {
                    if (user.path(field).asLong(0) == 0 && image.healthcheck().has(field)) {
                        user.set(field, image.healthcheck().get(field));
                    }
                }
            }
        }
    }

    private static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---------------------------------------------------------------- start / stop

    public void start(String ref) {
        Container c = get(ref);
        synchronized (c) {
            if (c.State.Paused) {
                throw new EngineException.Conflict("cannot start a paused container, try unpause instead");
            }
            if (c.State.Running) {
                throw new EngineException.NotModified("container already started");
            }
            if (c.State.Status.equals("removing") || c.State.Dead) {
                throw new EngineException.Conflict("container is marked for removal and cannot be started");
            }
            c.HasBeenManuallyStopped = false;
            startLocked(c);
        }
    }

    private void startLocked(Container c) {
        try {
            Path rootfs = snapshots.mount(c.Id);
            Path bundle = files.bundleDir(c);
            // netavark wires the namespace while runc creates the container (whose process waits
            // for start): the network is complete before the process runs.
            NetworkService.Wiring network = networks.attach(c.Id, c.bareName(), c.HostConfig.NetworkMode,
                    PublishedPorts.requested(c.HostConfig.PortBindings, Boolean.TRUE.equals(c.HostConfig.PublishAllPorts),
                            exposedPorts(c)));
            int pid;
            try {
                Sandbox sandbox = network.sandbox();
                files.writeNetworkFiles(c, sandbox);
                if ("shareable".equals(c.HostConfig.IpcMode)) {
                    files.mountShareableShm(c);
                }
                files.writeRuntimeConfig(c, rootfs, bundle, sandbox,
                        SharedNamespaces.resolve(c.HostConfig, this::get, files::shmPath, c));
                runtime.delete(c.Id, true);
                pid = runtime.create(c.Id, bundle, files.createOptions(c));
            } catch (RuntimeException e) {
                network.settle(); // so that recordStartFailure's detach finds all there is to undo
                throw e;
            }
            network.await();
            List<Consumer<Container>> hooks = beforeStart.remove(c.Id);
            if (hooks != null) {
                hooks.forEach(h -> h.accept(c));
            }
            runtime.start(c.Id);
            c.State.Status = "running";
            c.State.Running = true;
            c.State.Paused = false;
            c.State.Restarting = false;
            c.State.OOMKilled = false;
            c.State.Dead = false;
            c.State.Pid = pid;
            c.State.ExitCode = 0;
            c.State.Error = "";
            c.State.StartedAt = Instant.now().toString();
            health.start(c);
            repo.update(c);
        } catch (EngineException e) {
            recordStartFailure(c, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            recordStartFailure(c, String.valueOf(e.getMessage()));
            throw new EngineException.SystemError(String.valueOf(e.getMessage()), e);
        } finally {
            if (!c.State.Running && c.HostConfig.autoRemove()) {
                removeAfterFailedStart(c);
            }
        }
        emit(c, "start", Map.of());
    }

    private void unmountShm(Container c) {
        try {
            files.unmountShm(c);
        } catch (RuntimeException e) {
            LOG.warn("unmounting the shared /dev/shm of {}: {}", c.shortId(), e.getMessage());
        }
    }

    /** dockerd removes a {@code --rm} container whose start failed, as it would after its exit. */
    private void removeAfterFailedStart(Container c) {
        try {
            remove(c.Id, true, true);
        } catch (RuntimeException e) {
            LOG.warn("auto-remove of {} after its failed start failed: {}", c.shortId(), e.getMessage());
        }
    }

    /** dockerd leaves a container that failed to start as "created" with 127/126 and the error. */
    private void recordStartFailure(Container c, String message) {
        health.stop(c.Id);
        runtime.delete(c.Id, true);
        networks.detach(c.Id);
        try {
            snapshots.unmount(c.Id);
        } catch (RuntimeException ignored) {
            // may not have been mounted
        }
        unmountShm(c);
        c.State.Running = false;
        c.State.Pid = 0;
        c.State.Error = message;
        c.State.ExitCode = message.contains("executable file not found") || message.contains("no such file")
                ? 127 : message.contains("permission denied") ? 126 : 128;
        if (c.State.Status.equals("running") || c.State.Status.equals("restarting")) {
            c.State.Status = "exited";
        }
        repo.update(c);
        beforeStart.remove(c.Id);
        completeWaiters(exitWaiters, c.Id, c.State.ExitCode);
    }

    /** Runs {@code hook} after the container's process exists but before it runs (attach-before-start). */
    public void beforeNextStart(String id, Consumer<Container> hook) {
        beforeStart.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(hook);
    }

    public void stop(String ref, Integer timeoutSeconds, String signal) {
        Container c = get(ref);
        int sig;
        int timeout;
        synchronized (c) {
            if (!c.State.Running) {
                throw new EngineException.NotModified("container already stopped");
            }
            c.HasBeenManuallyStopped = true;
            repo.update(c);
            sig = Signals.parse(signal != null ? signal : c.Config.StopSignal, Signals.SIGTERM);
            timeout = timeoutSeconds != null ? timeoutSeconds
                    : c.Config.StopTimeout != null ? c.Config.StopTimeout : 10;
        }
        CompletableFuture<Integer> exited = registerExitWaiter(c);
        if (!c.State.Running) {
            return;
        }
        if (c.State.Paused) {
            runtime.resume(c.Id);
        }
        signalQuietly(c, sig);
        try {
            if (timeout < 0) {
                exited.get();
                return;
            }
            exited.get(timeout, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.info("container {} did not stop within {}s after signal {}; killing it", c.shortId(), timeout, sig);
            killAndWait(c, exited);
        } catch (Exception e) {
            throw new EngineException.SystemError("waiting for container " + c.shortId() + " to stop: " + e.getMessage(), e);
        }
    }

    private void killAndWait(Container c, CompletableFuture<Integer> exited) {
        signalQuietly(c, Signals.SIGKILL);
        try {
            exited.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new EngineException.SystemError("container " + c.shortId() + " did not exit after SIGKILL");
        }
    }

    private void signalQuietly(Container c, int sig) {
        try {
            runtime.kill(c.Id, sig, false);
        } catch (RuntimeException e) {
            LOG.debug("signal {} to {}: {}", sig, c.shortId(), e.getMessage());
        }
    }

    public void kill(String ref, String signal) {
        Container c = get(ref);
        int sig = Signals.parse(signal, Signals.SIGKILL);
        synchronized (c) {
            if (!c.State.Running) {
                throw new EngineException.Conflict("Cannot kill container: " + ref + ": Container " + c.Id + " is not running");
            }
            if (sig == Signals.SIGKILL || sig == Signals.SIGTERM || sig == 2) {
                c.HasBeenManuallyStopped = true;
                repo.update(c);
            }
        }
        CompletableFuture<Integer> exited = registerExitWaiter(c);
        runtime.kill(c.Id, sig, false);
        if (sig == Signals.SIGKILL) {
            try {
                exited.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("container {} did not report its exit after SIGKILL", c.shortId());
            }
        }
        emit(c, "kill", Map.of("signal", String.valueOf(sig)));
    }

    public void restart(String ref, Integer timeout, String signal) {
        Container c = get(ref);
        if (c.State.Running) {
            stop(ref, timeout, signal);
        }
        synchronized (c) {
            c.HasBeenManuallyStopped = false;
            if (!c.State.Running) {
                startLocked(c);
            }
        }
        emit(c, "restart", Map.of());
    }

    public void pause(String ref) {
        Container c = get(ref);
        synchronized (c) {
            if (!c.State.Running) {
                throw new EngineException.Conflict("Container " + c.Id + " is not running");
            }
            if (c.State.Paused) {
                throw new EngineException.Conflict("Container " + c.Id + " is already paused");
            }
            runtime.pause(c.Id);
            c.State.Paused = true;
            c.State.Status = "paused";
            repo.update(c);
        }
        emit(c, "pause", Map.of());
    }

    public void unpause(String ref) {
        Container c = get(ref);
        synchronized (c) {
            if (!c.State.Paused) {
                throw new EngineException.Conflict("Container " + c.Id + " is not paused");
            }
            runtime.resume(c.Id);
            c.State.Paused = false;
            c.State.Status = "running";
            repo.update(c);
        }
        emit(c, "unpause", Map.of());
    }

    // ---------------------------------------------------------------- exits and restart policy

    /** From the runtime's exit watcher: the container's main process ended with {@code code}. */
    public void onExit(String id, int code, boolean oomKilled) {
        Container c = containers.get(id);
        if (c == null) {
            return;
        }
        boolean restart;
        synchronized (c) {
            if (!c.State.Running && !c.State.Status.equals("running")) {
                return;
            }
            c.State.Running = false;
            c.State.Paused = false;
            c.State.Pid = 0;
            c.State.ExitCode = code;
            c.State.OOMKilled = oomKilled;
            c.State.FinishedAt = Instant.now().toString();
            c.State.Status = "exited";
            health.stop(c.Id);
            if (c.State.Health != null) {
                c.State.Health.Status = Health.UNHEALTHY; // dockerd shows a stopped container as unhealthy
            }
            restart = shouldRestart(c);
            if (restart) {
                c.State.Restarting = true;
                c.State.Status = "restarting";
            }
            repo.update(c);
            runtime.delete(c.Id, true);
            try {
                snapshots.unmount(c.Id);
            } catch (RuntimeException e) {
                LOG.debug("unmount {}: {}", c.shortId(), e.getMessage());
            }
            unmountShm(c);
            Runnable report = () -> {
                if (oomKilled) {
                    emit(c, "oom", Map.of());
                }
                emit(c, "die", Map.of("exitCode", String.valueOf(code)));
                completeWaiters(exitWaiters, c.Id, code);
            };
            if (c.HostConfig.autoRemove() && !restart) {
                report.run(); // the removal that follows releases the network after reporting itself
            } else {
                try {
                    networks.detachAfter(c.Id, report); // as dockerd: exit reported, then the network released
                } catch (RuntimeException e) {
                    LOG.warn("releasing the network of {}: {}", c.shortId(), e.getMessage());
                }
            }
        }
        if (restart) {
            long delayMs = Math.min(60_000, 100L << Math.min(c.RestartCount, 10));
            scheduler.schedule(() -> restartByPolicy(c), delayMs, TimeUnit.MILLISECONDS);
        } else if (c.HostConfig.autoRemove()) {
            scheduler.execute(() -> {
                try {
                    remove(c.Id, true, true);
                } catch (RuntimeException e) {
                    LOG.warn("auto-remove of {} failed: {}", c.shortId(), e.getMessage());
                }
            });
        }
    }

    private boolean shouldRestart(Container c) {
        HostConfig.RestartPolicy p = c.HostConfig.restartPolicy();
        if (c.HasBeenManuallyStopped) {
            return false;
        }
        return switch (p.name()) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> c.State.ExitCode != 0 && (p.maxRetries() == 0 || c.RestartCount < p.maxRetries());
            default -> false;
        };
    }

    private void restartByPolicy(Container c) {
        synchronized (c) {
            if (!c.State.Restarting || !containers.containsKey(c.Id)) {
                return;
            }
            c.RestartCount++;
            try {
                startLocked(c);
            } catch (RuntimeException e) {
                LOG.warn("restart of {} by its restart policy failed: {}", c.shortId(), e.getMessage());
                c.State.Restarting = false;
                c.State.Status = "exited";
                repo.update(c);
            }
        }
    }

    /**
     * Brings the engine's view in line with reality after a start: containers still running
     * under conmon are adopted; ones that ended meanwhile get their recorded exit code and their
     * restart policy applied.
     */
    public void recover() {
        for (Container c : containers.values()) {
            boolean wasUp = c.State.Running || c.State.Restarting;
            if (!wasUp) {
                continue;
            }
            RuntimeState st = runtime.state(c.Id);
            boolean paused = st.status() == RuntimeState.Status.PAUSED;
            if (st.status() == RuntimeState.Status.RUNNING || paused) {
                synchronized (c) {
                    c.State.Running = true;
                    c.State.Paused = paused;
                    c.State.Status = paused ? "paused" : "running";
                    c.State.Pid = st.pid();
                    c.State.Restarting = false;
                    repo.update(c);
                    health.resume(c);
                }
                LOG.info("adopted running container {} ({})", c.shortId(), c.bareName());
                continue;
            }
            Integer code = runtime.exitCode(c.Id);
            synchronized (c) {
                c.State.Running = true; // so onExit treats it as a real exit
                c.State.Status = "running";
            }
            onExit(c.Id, code == null ? 255 : code, runtime.oomKilled(c.Id));
        }
        for (Container c : containers.values()) {
            if (c.State.Status.equals("exited") && !c.HasBeenManuallyStopped
                    && List.of("always", "unless-stopped").contains(c.HostConfig.restartPolicy().name())) {
                synchronized (c) {
                    try {
                        startLocked(c);
                    } catch (RuntimeException e) {
                        LOG.warn("could not restart {} at engine start: {}", c.shortId(), e.getMessage());
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- wait / remove

    /**
     * Registers a wait and returns at once; the future completes with the exit code.
     * Conditions: not-running (default: now if already stopped), next-exit, removed.
     */
    public CompletableFuture<Integer> waitFor(String ref, String condition) {
        Container c = get(ref);
        String cond = condition == null || condition.isEmpty() ? "not-running" : condition;
        switch (cond) {
            case "not-running" -> {
                synchronized (c) {
                    if (!c.State.Running && !c.State.Restarting) {
                        return CompletableFuture.completedFuture(c.State.ExitCode);
                    }
                    return registerExitWaiter(c);
                }
            }
            case "next-exit" -> {
                return registerExitWaiter(c);
            }
            case "removed" -> {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                removeWaiters.computeIfAbsent(c.Id, k -> new CopyOnWriteArrayList<>()).add(f);
                return f;
            }
            default -> throw new EngineException.InvalidParameter("invalid condition: \"" + condition + "\"");
        }
    }

    private CompletableFuture<Integer> registerExitWaiter(Container c) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        exitWaiters.computeIfAbsent(c.Id, k -> new CopyOnWriteArrayList<>()).add(f);
        return f;
    }

    private static void completeWaiters(Map<String, List<CompletableFuture<Integer>>> waiters, String id, int code) {
        List<CompletableFuture<Integer>> list = waiters.remove(id);
        if (list != null) {
            list.forEach(f -> f.complete(code));
        }
    }

    public void remove(String ref, boolean force, boolean removeVolumes) {
        Container c = get(ref);
        synchronized (c) {
            if (c.State.Running || c.State.Restarting) {
                if (!force) {
                    String state = c.State.Paused ? "paused" : c.State.Restarting ? "restarting" : "running";
                    throw new EngineException.Conflict("cannot remove container \"" + c.Name + "\": container is "
                            + state + ": stop the container before removing or force remove");
                }
                c.HasBeenManuallyStopped = true;
                c.State.Restarting = false;
            }
        }
        if (c.State.Running) {
            CompletableFuture<Integer> exited = registerExitWaiter(c);
            if (c.State.Paused) {
                runtime.resume(c.Id);
            }
            killAndWait(c, exited);
        }
        synchronized (c) {
            if (!containers.containsKey(c.Id)) {
                return;
            }
            c.State.Status = "removing";
            health.stop(c.Id);
            runtime.delete(c.Id, true);
            try {
                snapshots.unmount(c.Id);
            } catch (RuntimeException ignored) {
                // not mounted
            }
            unmountShm(c);
            snapshots.remove(c.Id);
            files.remove(c);
            repo.delete(c.Id);
            containers.remove(c.Id);
            files.mounts().release(c, removeVolumes);
            // The client hears of the removal before netavark's teardown, which later calls wait for.
            networks.forgetAfter(c.Id, () -> {
                emit(c, "destroy", Map.of());
                completeWaiters(removeWaiters, c.Id, c.State.ExitCode);
                completeWaiters(exitWaiters, c.Id, c.State.ExitCode);
            });
        }
    }

    /**
     * {@code docker update}: merges the resource limits and restart policy set in {@code req} into
     * the container's HostConfig as dockerd does (unset fields stay), applies them to a running
     * container through the runtime, and keeps the old settings when either step fails.
     */
    public List<String> update(String ref, HostConfig req) {
        Container c = get(ref);
        Validation.update(req, Runtime.getRuntime().availableProcessors());
        synchronized (c) {
            if (c.State.Status.equals("removing") || c.State.Dead) {
                throw cannotUpdate(c, "container is marked for removal and cannot be \"update\"");
            }
            HostConfig backup = c.HostConfig.copy();
            try {
                merge(c, req);
                if (c.State.Running && !c.State.Restarting) {
                    runtime.update(c.Id, ContainerFiles.resources(c.HostConfig));
                }
                repo.update(c);
            } catch (EngineException.Conflict e) {
                c.HostConfig = backup;
                throw e;
            } catch (EngineException e) {
                c.HostConfig = backup;
                throw new EngineException.SystemError("Cannot update container " + c.Id + ": " + e.getMessage(), e);
            }
        }
        emit(c, "update", Map.of());
        return List.of();
    }

    /** dockerd's Container.UpdateContainer: NanoCpus and CpuQuota/CpuPeriod exclude each other across updates. */
    private static void merge(Container c, HostConfig req) {
        HostConfig hc = c.HostConfig;
        long nano = nz(req.NanoCpus);
        if (nano > 0 && nz(hc.CpuPeriod) > 0 || nz(req.CpuPeriod) > 0 && nz(hc.NanoCpus) > 0) {
            throw cannotUpdate(c, "Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
        }
        if (nano > 0 && nz(hc.CpuQuota) > 0 || nz(req.CpuQuota) > 0 && nz(hc.NanoCpus) > 0) {
            throw cannotUpdate(c, "Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");
        }
        if (nz(req.CpuShares) != 0) {
            hc.CpuShares = req.CpuShares;
        }
        if (nano != 0) {
            hc.NanoCpus = req.NanoCpus;
        }
        if (nz(req.CpuPeriod) != 0) {
            hc.CpuPeriod = req.CpuPeriod;
        }
        if (nz(req.CpuQuota) != 0) {
            hc.CpuQuota = req.CpuQuota;
        }
        if (req.CpusetCpus != null && !req.CpusetCpus.isEmpty()) {
            hc.CpusetCpus = req.CpusetCpus;
        }
        if (req.CpusetMems != null && !req.CpusetMems.isEmpty()) {
            hc.CpusetMems = req.CpusetMems;
        }
        if (nz(req.Memory) != 0) {
            if (req.Memory > nz(hc.MemorySwap) && nz(req.MemorySwap) == 0) {
                throw cannotUpdate(c, "Memory limit should be smaller than already set memoryswap limit, "
                        + "update the memoryswap at the same time");
            }
            hc.Memory = req.Memory;
        }
        if (nz(req.MemorySwap) != 0) {
            hc.MemorySwap = req.MemorySwap;
        }
        if (nz(req.MemoryReservation) != 0) {
            hc.MemoryReservation = req.MemoryReservation;
        }
        if (req.PidsLimit != null) {
            hc.PidsLimit = req.PidsLimit;
        }
        if (req.RestartPolicy != null && req.RestartPolicy.Name != null && !req.RestartPolicy.Name.isEmpty()) {
            if (hc.autoRemove() && !req.RestartPolicy.Name.equals("no")) {
                throw cannotUpdate(c, "Restart policy cannot be updated because AutoRemove is enabled for the container");
            }
            hc.RestartPolicy = req.RestartPolicy;
        }
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    private static EngineException.Conflict cannotUpdate(Container c, String why) {
        return new EngineException.Conflict("Cannot update container " + c.Id + ": " + why);
    }

    public void rename(String ref, String newName) {
        Container c = get(ref);
        if (newName == null || newName.isEmpty()) {
            throw new EngineException.InvalidParameter("Neither old nor new names may be empty");
        }
        Validation.name(newName);
        String target = newName.startsWith("/") ? newName : "/" + newName;
        String old;
        synchronized (c) {
            if (c.Name.equals(target)) {
                throw new EngineException.InvalidParameter("Renaming a container with the same name as its current name");
            }
            for (Container x : containers.values()) {
                if (x.Name.equals(target)) {
                    throw ContainerRepository.nameInUse(target, x.Id);
                }
            }
            old = c.Name;
            c.Name = target;
            try {
                repo.update(c);
            } catch (RuntimeException e) {
                c.Name = old;
                throw e;
            }
        }
        networks.rename(c.Id, c.bareName());
        emit(c, "rename", Map.of("oldName", old));
    }

    public record Pruned(List<String> deleted, long spaceReclaimed) {
    }

    public Pruned prune(Map<String, List<String>> filters) {
        List<String> deleted = new ArrayList<>();
        long space = 0;
        for (Container c : all()) {
            if (c.State.Running || c.State.Restarting || c.State.Paused) {
                continue;
            }
            if (!ContainerFilters.matchesLabels(c, filters) || !ContainerFilters.matchesUntil(c, filters)) {
                continue;
            }
            space += sizeRw(c);
            try {
                remove(c.Id, false, false);
                deleted.add(c.Id);
            } catch (RuntimeException e) {
                LOG.warn("prune could not remove {}: {}", c.shortId(), e.getMessage());
            }
        }
        events.publish("container", "prune", "", Map.of("reclaimed", String.valueOf(space)));
        return new Pruned(deleted, space);
    }

    public long sizeRw(Container c) {
        try {
            return snapshots.usage(c.Id);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    public long sizeRootFs(Container c) {
        try {
            return sizeRw(c) + images.inspect(c.Image).path("Size").asLong();
        } catch (RuntimeException e) {
            return sizeRw(c);
        }
    }

    // ---------------------------------------------------------------- runtime views

    public ContainerRuntime runtime() {
        return runtime;
    }

    public ContainerFiles files() {
        return files;
    }

    public NetworkService networks() {
        return networks;
    }

    /** The container's ExposedPorts keys ("80/tcp"), for published-port views and -P. */
    public static List<String> exposedPorts(Container c) {
        return c.Config.ExposedPorts == null ? List.of() : List.copyOf(c.Config.ExposedPorts.keySet());
    }

    /** How the network service sees a container: for connect, disconnect and container:x. */
    public ContainerDirectory.Member networkMember(String ref) {
        Container c = get(ref);
        return new ContainerDirectory.Member(c.Id, c.bareName(), c.HostConfig.NetworkMode, c.State.Running, c.State.Pid);
    }

    /** Where the container's root filesystem is mounted while it runs. */
    public Path rootfs(Container c) {
        return snapshots.get(c.Id).mergedDir();
    }

    /** Work on a container's mounted root filesystem. */
    @FunctionalInterface
    public interface RootfsWork<T> {
        T run(Path rootfs) throws IOException;
    }

    /**
     * Runs {@code work} with the container's rootfs mounted, running or not (docker cp on a
     * stopped container). A rootfs mounted only for this is unmounted afterwards, unless the
     * container started meanwhile or another such call still uses it.
     */
    public <T> T withRootfs(Container c, RootfsWork<T> work) throws IOException {
        Path rootfs;
        synchronized (c) {
            rootfs = snapshots.mount(c.Id);
            rootfsUsers.merge(c.Id, 1, Integer::sum);
        }
        try {
            return work.run(rootfs);
        } finally {
            synchronized (c) {
                Integer left = rootfsUsers.merge(c.Id, -1, Integer::sum);
                if (left != null && left <= 0) {
                    rootfsUsers.remove(c.Id);
                    if (!c.State.Running && containers.containsKey(c.Id)) {
                        try {
                            snapshots.unmount(c.Id);
                        } catch (RuntimeException e) {
                            LOG.debug("unmount {} after archive access: {}", c.shortId(), e.getMessage());
                        }
                    }
                }
            }
        }
    }

    /** The TTY size of a running container's console. */
    public void resize(String ref, int height, int width) {
        Container c = get(ref);
        if (!c.State.Running) {
            throw new EngineException.Conflict("Container " + c.Id + " is not running");
        }
        runtime.resize(c.Id, height, width);
    }

    public Container requireRunning(String ref) {
        Container c = get(ref);
        if (!c.State.Running) {
            throw new EngineException.Conflict("Container " + c.Id + " is not running");
        }
        if (c.State.Paused) {
            throw new EngineException.Conflict("Container " + c.Id + " is paused, unpause the container before exec");
        }
        return c;
    }

    /**
     * Records one health probe's result unless the run it belonged to has ended ({@code cancelled});
     * a change of status is announced as {@code health_status: <status>}.
     */
    void healthResult(Container c, Health.Result result, HealthMonitor.Probe probe,
                      java.util.concurrent.atomic.AtomicBoolean cancelled) {
        boolean changed;
        synchronized (c) {
            if (cancelled.get() || !c.State.Running || c.State.Health == null || !containers.containsKey(c.Id)) {
                return;
            }
            changed = HealthMonitor.apply(c.State.Health, result, probe, Instant.parse(c.State.StartedAt));
            repo.update(c);
        }
        if (changed) {
            emit(c, "health_status: " + c.State.Health.Status, Map.of());
        }
    }

    void emit(Container c, String action, Map<String, String> extra) {
        Map<String, String> attrs = new HashMap<>();
        if (c.Config.Labels != null) {
            attrs.putAll(c.Config.Labels);
        }
        attrs.put("image", c.Config.Image);
        attrs.put("name", c.bareName());
        attrs.putAll(extra);
        events.publish("container", action, c.Id, attrs);
    }

    public void shutdown() {
        health.shutdown();
        scheduler.shutdownNow();
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException ignored) {
                    // best effort; reported by the caller's next operation if it matters
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
