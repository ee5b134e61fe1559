package dev.muelle.engine.api;

import dev.muelle.engine.container.Container;
import dev.muelle.engine.container.ContainerService;
import dev.muelle.engine.events.Event;
import dev.muelle.engine.events.EventBus;
import dev.muelle.engine.image.ImageReference;
import dev.muelle.engine.image.ImageService;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.system.EngineVersion;
import dev.muelle.engine.system.HostInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /_ping}, {@code /version}, {@code /info}, {@code /events}. */
final class SystemHandlers {

    private final ContainerService containers;
    private final ImageService images;
    private final EventBus events;
    private final dev.muelle.engine.volume.VolumeService volumes;
    private final Path dataRoot;

    SystemHandlers(ContainerService containers, ImageService images, dev.muelle.engine.volume.VolumeService volumes,
                   EventBus events, Path dataRoot) {
        this.volumes = volumes;
        this.containers = containers;
        this.images = images;
        this.events = events;
        this.dataRoot = dataRoot;
    }

    void register(Router r) {
        Router.Handler ping = (q, s) -> {
            s.text(200, "text/plain; charset=utf-8", "OK");
        };
        r.get("/_ping", ping).head("/_ping", ping);
        r.get("/version", (q, s) -> s.json(200, version()));
        r.get("/info", (q, s) -> s.json(200, info()));
        r.get("/events", this::events);
        r.get("/system/df", (q, s) -> s.json(200, diskUsage(q.queryAll("type"))));
    }

    private Map<String, Object> version() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ApiVersion", EngineVersion.API_VERSION);
        details.put("MinAPIVersion", EngineVersion.MIN_API_VERSION);
        details.put("Os", "linux");
        details.put("Arch", "amd64");
        details.put("KernelVersion", HostInfo.kernelVersion());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("Platform", Map.of("Name", "Muelle Engine"));
        v.put("Components", List.of(Map.of("Name", "Engine", "Version", EngineVersion.VERSION, "Details", details)));
        v.put("Version", EngineVersion.VERSION);
        v.put("ApiVersion", EngineVersion.API_VERSION);
        v.put("MinAPIVersion", EngineVersion.MIN_API_VERSION);
        v.put("GitCommit", "");
        v.put("GoVersion", "java" + Runtime.version().feature());
        v.put("Os", "linux");
        v.put("Arch", "amd64");
        v.put("KernelVersion", HostInfo.kernelVersion());
        v.put("BuildTime", "");
        return v;
    }

    private Map<String, Object> info() {
        List<Container> all = containers.all();
        long running = all.stream().filter(c -> c.State.Running && !c.State.Paused).count();
        long paused = all.stream().filter(c -> c.State.Paused).count();
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("ID", "muelle");
        i.put("Containers", all.size());
        i.put("ContainersRunning", running);
        i.put("ContainersPaused", paused);
        i.put("ContainersStopped", all.size() - running - paused);
        i.put("Images", images.list(false, Map.of()).size());
        i.put("Driver", "overlay2");
        i.put("DriverStatus", List.of(List.of("Backing Filesystem", "extfs"), List.of("Supports d_type", "true")));
        i.put("Plugins", Map.of("Volume", List.of("local"), "Network", List.of("bridge", "host", "none"),
                "Log", List.of("json-file")));
        i.put("MemoryLimit", true);
        i.put("SwapLimit", true);
        i.put("CpuCfsPeriod", true);
        i.put("CpuCfsQuota", true);
        i.put("CPUShares", true);
        i.put("CPUSet", true);
        i.put("PidsLimit", true);
        i.put("OomKillDisable", true);
        i.put("IPv4Forwarding", true);
        i.put("Debug", false);
        i.put("NFd", 0);
        i.put("NGoroutines", Thread.activeCount());
        i.put("SystemTime", Instant.now().atOffset(ZoneOffset.UTC).toString());
        i.put("LoggingDriver", "json-file");
        i.put("CgroupDriver", "cgroupfs");
        i.put("CgroupVersion", HostInfo.cgroupVersion());
        i.put("NEventsListener", 0);
        i.put("KernelVersion", HostInfo.kernelVersion());
        i.put("OperatingSystem", HostInfo.operatingSystem());
        i.put("OSVersion", HostInfo.osVersion());
        i.put("OSType", "linux");
        i.put("Architecture", "x86_64");
        i.put("IndexServerAddress", "https://index.docker.io/v1/");
        i.put("RegistryConfig", Map.of("IndexConfigs", Map.of(), "InsecureRegistryCIDRs", List.of("127.0.0.0/8")));
        i.put("NCPU", Runtime.getRuntime().availableProcessors());
        i.put("MemTotal", HostInfo.memTotal());
        i.put("DockerRootDir", dataRoot.toString());
        i.put("HttpProxy", "");
        i.put("HttpsProxy", "");
        i.put("NoProxy", "");
        i.put("Name", HostInfo.hostname());
        i.put("Labels", List.of());
        i.put("ExperimentalBuild", false);
        i.put("ServerVersion", EngineVersion.VERSION);
        i.put("Runtimes", Map.of("runc", Map.of("path", "runc")));
        i.put("DefaultRuntime", "runc");
        i.put("Swarm", Map.of("NodeID", "", "NodeAddr", "", "LocalNodeState", "inactive", "ControlAvailable", false,
                "Error", "", "RemoteManagers", List.of()));
        i.put("LiveRestoreEnabled", true);
        i.put("Isolation", "");
        i.put("InitBinary", "docker-init");
        i.put("SecurityOptions", List.of("name=seccomp,profile=builtin"));
        i.put("Warnings", List.of());
        return i;
    }

    /** {@code docker system df}: images from the layer store, containers with their sizes. */
    /** {@code docker system df}: each part from its service; {@code type} narrows it (API 1.42+). */
    private Map<String, Object> diskUsage(List<String> types) {
        boolean all = types.isEmpty();
        Map<String, Object> df = new LinkedHashMap<>();
        if (all || types.contains("image")) {
            var usage = images.diskUsage();
            df.put("LayersSize", usage.layersSize());
            df.put("Images", usage.images());
        } else {
            df.put("LayersSize", 0);
            df.put("Images", List.of());
        }
        df.put("Containers", all || types.contains("container")
                ? dev.muelle.engine.container.ContainerViews.list(containers.all(), containers, true) : List.of());
        df.put("Volumes", all || types.contains("volume") ? volumes.df() : List.of());
        df.put("BuildCache", List.of());
        return df;
    }

    private void events(ApiRequest q, ApiResponse s) throws Exception {
        // Without since, only what happens from now on (dockerd replays nothing).
        long since = q.queryTimeNanos("since", Long.MAX_VALUE);
        long until = q.queryTimeNanos("until", Long.MAX_VALUE);
        EventFilter filter = new EventFilter(q.filters());
        OutputStream out = s.stream(200, "application/json");
        try (EventBus.Subscription sub = events.subscribe(since)) {
            for (Event e : sub.backlog()) {
                if (e.timeNano() <= until && filter.test(e)) {
                    write(out, e);
                }
            }
            while (q.clientConnected()) {
                long now = System.currentTimeMillis() * 1_000_000L;
                if (now > until) {
                    return;
                }
                long waitMs = until == Long.MAX_VALUE ? 1000 : Math.max(1, Math.min(1000, (until - now) / 1_000_000L + 1));
                Event e = sub.next(waitMs);
                if (e != null && e.timeNano() <= until && filter.test(e)) {
                    write(out, e);
                }
            }
        } catch (IOException clientGone) {
            // stopped listening
        }
    }

    private static void write(OutputStream out, Event e) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        // dockerd fills the deprecated status/id(/from) fields for container and image events only.
        if (e.type().equals("container") || e.type().equals("image")) {
            m.put("status", e.action());
            m.put("id", e.id());
        }
        if (e.type().equals("container")) {
            m.put("from", e.attributes().getOrDefault("image", ""));
        }
        m.put("Type", e.type());
        m.put("Action", e.action());
        m.put("Actor", Map.of("ID", e.id(), "Attributes", e.attributes()));
        m.put("scope", "local");
        m.put("time", e.timeNano() / 1_000_000_000L);
        m.put("timeNano", e.timeNano());
        Json.writeLine(out, m);
    }

    /** {@code docker events --filter}: type, event/action, container, image, label. */
    private record EventFilter(Map<String, List<String>> f) {
        boolean test(Event e) {
            return any("type", v -> v.equals(e.type()))
                    && any("event", v -> e.action().equals(v) || e.action().startsWith(v + ":"))
                    && any("action", v -> e.action().equals(v))
                    && any("container", v -> e.type().equals("container")
                    && (e.id().startsWith(v) || v.equals(e.attributes().get("name"))))
                    && any("image", v -> imageMatches(e, v))
                    && all("label", v -> {
                        int eq = v.indexOf('=');
                        return eq < 0 ? e.attributes().containsKey(v)
                                : v.substring(eq + 1).equals(e.attributes().get(v.substring(0, eq)));
                    });
        }

        /**
         * dockerd's matchImage: the actor ID or the image name (the {@code name} attribute of an
         * image event, {@code image} of a container event), each also without its tag.
         */
        private static boolean imageMatches(Event e, String v) {
            String name = e.attributes().getOrDefault(e.type().equals("image") ? "name" : "image", "");
            return v.equals(e.id()) || v.equals(name) || v.equals(withoutTag(e.id())) || v.equals(withoutTag(name));
        }

        private static String withoutTag(String image) {
            try {
                return ImageReference.parse(image).familiarName();
            } catch (RuntimeException notAReference) {
                return image;
            }
        }

        private boolean any(String key, java.util.function.Predicate<String> p) {
            List<String> vs = f.get(key);
            return vs == null || vs.isEmpty() || vs.stream().anyMatch(p);
        }

        private boolean all(String key, java.util.function.Predicate<String> p) {
            List<String> vs = f.get(key);
            return vs == null || vs.stream().allMatch(p);
        }
    }
}
