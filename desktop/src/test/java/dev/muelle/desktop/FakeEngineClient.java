package dev.muelle.desktop;

import dev.muelle.desktop.engine.ContainerSpec;
import dev.muelle.desktop.engine.ContainerSummary;
import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.EngineEvent;
import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.EngineInfo;
import dev.muelle.desktop.engine.ExecSession;
import dev.muelle.desktop.engine.FileEntry;
import dev.muelle.desktop.engine.ImageLayer;
import dev.muelle.desktop.engine.ImageSummary;
import dev.muelle.desktop.engine.LogLine;
import dev.muelle.desktop.engine.NetworkSummary;
import dev.muelle.desktop.engine.PublishedPort;
import dev.muelle.desktop.engine.PullProgress;
import dev.muelle.desktop.engine.StatsSample;
import dev.muelle.desktop.engine.StreamListener;
import dev.muelle.desktop.engine.Subscription;
import dev.muelle.desktop.engine.VolumeFiles;
import dev.muelle.desktop.engine.VolumeSummary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An in-memory engine for view-model tests: containers and images in maps, every call recorded,
 * and handles to push events or log lines and to end streams as a real engine would.
 */
public final class FakeEngineClient implements EngineClient {

    public final Map<String, ContainerSummary> containers = new LinkedHashMap<>();
    public final List<ImageSummary> images = new ArrayList<>();
    public final List<String> calls = new ArrayList<>();
    public final List<ContainerSpec> runs = new ArrayList<>();
    public EngineException failNext;
    public List<PullProgress> pullProgress = List.of();
    public StreamListener<EngineEvent> events;
    public StreamListener<LogLine> logs;
    public StreamListener<StatsSample> stats;
    public boolean eventsClosed;
    public boolean logsClosed;
    public final FakeVolumeFiles files = new FakeVolumeFiles();
    /** What {@link #build} streams, chunk by chunk, before returning {@link #buildImageId} (or failing with failNext). */
    public List<String> buildOutput = List.of();
    public String buildImageId = "sha256:built";
    /** Run by {@link #build} after its output (a user pressing Cancel while the build runs). */
    public Runnable duringBuild = () -> { };
    public EngineInfo info = new EngineInfo("Fake Engine", "1.0", "1.47", 2, 4L << 30, 0, 0, 0);

    public static ContainerSummary container(String id, String name, String state, Map<String, String> labels,
                                             PublishedPort... ports) {
        return new ContainerSummary(id, name, "busybox", "sha256:bb", state, state.equals("running") ? "Up 1 minute" : "Exited (0)",
                1_700_000_000L, List.of(ports), labels);
    }

    public FakeEngineClient with(ContainerSummary c) {
        containers.put(c.id(), c);
        return this;
    }

    private void maybeFail() {
        if (failNext != null) {
            EngineException e = failNext;
            failNext = null;
            throw e;
        }
    }

    private void setState(String id, String state) {
        ContainerSummary c = containers.get(id);
        containers.put(id, new ContainerSummary(c.id(), c.name(), c.image(), c.imageId(), state, state, c.createdEpochSeconds(),
                c.ports(), c.labels()));
    }

    @Override
    public String endpoint() {
        return "unix:///fake.sock";
    }

    @Override
    public boolean ping() {
        return true;
    }

    @Override
    public EngineInfo info() {
        calls.add("info");
        return info;
    }

    @Override
    public List<ContainerSummary> containers() {
        calls.add("containers");
        maybeFail();
        return List.copyOf(containers.values());
    }

    @Override
    public void start(String id) {
        calls.add("start " + id);
        maybeFail();
        setState(id, "running");
    }

    @Override
    public void stop(String id) {
        calls.add("stop " + id);
        maybeFail();
        setState(id, "exited");
    }

    @Override
    public void restart(String id) {
        calls.add("restart " + id);
        maybeFail();
        setState(id, "running");
    }

    @Override
    public void pause(String id) {
        calls.add("pause " + id);
        setState(id, "paused");
    }

    @Override
    public void unpause(String id) {
        calls.add("unpause " + id);
        setState(id, "running");
    }

    @Override
    public void remove(String id, boolean force) {
        calls.add("remove " + id + (force ? " force" : ""));
        maybeFail();
        containers.remove(id);
    }

    @Override
    public String inspect(String id) {
        calls.add("inspect " + id);
        return "{\"Id\":\"" + id + "\",\"State\":{\"Running\":true,\"Pid\":42},\"Mounts\":[]}";
    }

    @Override
    public StatsSample statsOnce(String id) {
        calls.add("statsOnce " + id);
        return new StatsSample(12.5, 10L << 20, 256L << 20, 0, 0, 0, 0);
    }

    @Override
    public Subscription stats(String id, StreamListener<StatsSample> listener) {
        calls.add("stats " + id);
        stats = listener;
        return () -> calls.add("stats closed");
    }

    @Override
    public Subscription logs(String id, int tail, boolean follow, boolean timestamps, StreamListener<LogLine> listener) {
        calls.add("logs " + id + " follow=" + follow + " timestamps=" + timestamps);
        logs = listener;
        logsClosed = false;
        return () -> logsClosed = true;
    }

    @Override
    public ExecSession exec(String containerId, List<String> command, int columns, int rows) {
        throw new UnsupportedOperationException("the terminal is tested against a real engine");
    }

    @Override
    public List<FileEntry> listFiles(String containerId, String directory) {
        calls.add("listFiles " + directory);
        maybeFail();
        return List.of(new FileEntry("etc", "/etc", FileEntry.Kind.DIRECTORY, 0, 0, "drwxr-xr-x", null));
    }

    @Override
    public void downloadFile(String containerId, String path, Path target) {
        calls.add("download " + path);
    }

    @Override
    public List<ImageSummary> images() {
        calls.add("images");
        return List.copyOf(images);
    }

    @Override
    public List<ImageLayer> history(String image) {
        return List.of(new ImageLayer("sha256:bb", 0, "busybox rootfs", 1 << 20, ""));
    }

    @Override
    public void pull(String reference, Consumer<PullProgress> progress) {
        calls.add("pull " + reference);
        pullProgress.forEach(progress);
        maybeFail();
        images.add(new ImageSummary("sha256:" + reference.hashCode(), List.of(reference), 1 << 20, 1_700_000_000L, -1));
    }

    @Override
    public void push(String reference, Consumer<PullProgress> progress) {
        calls.add("push " + reference);
    }

    @Override
    public void tag(String image, String repository, String tag) {
        calls.add("tag " + image + " " + repository + ":" + tag);
    }

    @Override
    public void removeImage(String image, boolean force) {
        calls.add("removeImage " + image + (force ? " force" : ""));
    }

    @Override
    public long pruneImages() {
        calls.add("prune");
        return 1024;
    }

    @Override
    public String run(ContainerSpec spec) {
        calls.add("run " + spec.image());
        maybeFail();
        runs.add(spec);
        String id = "new" + runs.size();
        containers.put(id, container(id, spec.name() == null ? id : spec.name(), "running", Map.of()));
        return id;
    }

    @Override
    public List<VolumeSummary> volumes() {
        return List.of(new VolumeSummary("data", "local", "/var/lib/muelle/volumes/data", "2026-11-27T23:40:17Z",
                Map.of(), 1024, List.of("web")));
    }

    @Override
    public List<NetworkSummary> networks() {
        return List.of(new NetworkSummary("n1", "bridge", "bridge", "local", "10.88.0.0/16", "10.88.0.1", false, List.of()));
    }

    @Override
    public void createVolume(String name, Map<String, String> labels) {
        calls.add("createVolume " + name);
    }

    @Override
    public void removeVolume(String name) {
        calls.add("removeVolume " + name);
        maybeFail();
    }

    @Override
    public long pruneVolumes() {
        calls.add("pruneVolumes");
        return 0;
    }

    @Override
    public VolumeFiles volumeFiles() {
        return files;
    }

    @Override
    public String createNetwork(String name, String subnet, String gateway, boolean internal) {
        calls.add("createNetwork " + name + " " + subnet);
        return "net-" + name;
    }

    @Override
    public void removeNetwork(String network) {
        calls.add("removeNetwork " + network);
        maybeFail();
    }

    @Override
    public void connect(String network, String container) {
        calls.add("connect " + network + " " + container);
    }

    @Override
    public void disconnect(String network, String container) {
        calls.add("disconnect " + network + " " + container);
    }

    @Override
    public String build(Path context, java.util.Set<String> tags, Map<String, String> buildArgs, Consumer<String> output,
                        dev.muelle.desktop.engine.Transfer control) {
        calls.add("build " + context + " " + new java.util.TreeSet<>(tags) + " " + new java.util.TreeMap<>(buildArgs));
        buildOutput.forEach(output);
        duringBuild.run();
        if (control.cancelled()) {
            throw new dev.muelle.desktop.engine.Transfer.Cancelled("Build");
        }
        if (failNext != null) {
            EngineException e = failNext;
            failNext = null;
            throw e;
        }
        return buildImageId;
    }

    @Override
    public Subscription events(StreamListener<EngineEvent> listener) {
        calls.add("events");
        events = listener;
        return () -> eventsClosed = true;
    }

    /** As the engine would: an event about a container. */
    public void emit(String type, String action, String id) {
        events.onItem(new EngineEvent(type, action, id, Map.of()));
    }

    @Override
    public void close() {
        calls.add("close");
    }
}
