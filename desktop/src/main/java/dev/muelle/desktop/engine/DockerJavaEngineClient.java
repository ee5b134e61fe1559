package dev.muelle.desktop.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PruneType;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link EngineClient} over docker-java with its dependency-free transport, so it speaks to any
 * Docker-API socket (Muelle, dockerd, podman) the same way.
 *
 * <p>Calls docker-java has no command for (inspect as raw JSON, image history, /info, the archive
 * listing) go through the same transport as plain HTTP. Every docker-java exception is turned into
 * an {@link EngineException} whose message is the engine's own message, without status codes or
 * JSON around it.
 */
public final class DockerJavaEngineClient implements EngineClient {

    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String endpoint;
    private final DockerHttpClient http;
    private final DockerClient docker;
    private final VolumeFiles volumeFiles;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A client for {@code endpoint} ({@code unix:///path}, {@code tcp://host:port}). Connects lazily. */
    public DockerJavaEngineClient(String endpoint) {
        this.endpoint = endpoint;
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(endpoint).withDockerTlsVerify(false).build();
        this.http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(3))
                .build();
        this.docker = DockerClientImpl.getInstance(config, http);
        this.volumeFiles = new MuelleVolumeFiles(http, this);
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public boolean ping() {
        try {
            docker.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public EngineInfo info() {
        return call("read the engine's version", () -> {
            JsonNode version = getJson("/version");
            JsonNode info = getJson("/info");
            String name = version.path("Platform").path("Name").asText("");
            if (name.isEmpty()) {
                name = "Docker Engine";
            }
            return new EngineInfo(name, version.path("Version").asText("?"), version.path("ApiVersion").asText("?"),
                    info.path("NCPU").asInt(0), info.path("MemTotal").asLong(0), info.path("Containers").asInt(0),
                    info.path("ContainersRunning").asInt(0), info.path("Images").asInt(0));
        });
    }

    @Override
    public List<ContainerSummary> containers() {
        return call("list containers", () -> docker.listContainersCmd().withShowAll(true).exec().stream()
                .map(DockerJavaEngineClient::summary).toList());
    }

    private static ContainerSummary summary(Container c) {
        String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0];
        List<PublishedPort> ports = new ArrayList<>();
        if (c.getPorts() != null) {
            for (ContainerPort p : c.getPorts()) {
                ports.add(new PublishedPort(p.getIp(), p.getPrivatePort() == null ? 0 : p.getPrivatePort(),
                        p.getPublicPort(), p.getType() == null ? "tcp" : p.getType()));
            }
        }
        return new ContainerSummary(c.getId(), name.startsWith("/") ? name.substring(1) : name, c.getImage(),
                c.getImageId(), c.getState() == null ? "" : c.getState(), c.getStatus() == null ? "" : c.getStatus(),
                c.getCreated() == null ? 0 : c.getCreated(), ports, c.getLabels() == null ? Map.of() : c.getLabels());
    }

    @Override
    public void start(String id) {
        run("start the container", () -> docker.startContainerCmd(id).exec());
    }

    @Override
    public void stop(String id) {
        run("stop the container", () -> docker.stopContainerCmd(id).exec());
    }

    @Override
    public void restart(String id) {
        run("restart the container", () -> docker.restartContainerCmd(id).exec());
    }

    @Override
    public void pause(String id) {
        run("pause the container", () -> docker.pauseContainerCmd(id).exec());
    }

    @Override
    public void unpause(String id) {
        run("resume the container", () -> docker.unpauseContainerCmd(id).exec());
    }

    @Override
    public void remove(String id, boolean force) {
        run("delete the container", () -> docker.removeContainerCmd(id).withForce(force).exec());
    }

    @Override
    public String inspect(String id) {
        return call("inspect the container", () -> {
            try {
                return json.writeValueAsString(getJson("/containers/" + encode(id) + "/json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public StatsSample statsOnce(String id) {
        return call("read the container's stats", () -> {
            AtomicReference<Statistics> last = new AtomicReference<>();
            ResultCallback.Adapter<Statistics> callback = docker.statsCmd(id).withNoStream(true)
                    .exec(new ResultCallback.Adapter<>() {
                        @Override
                        public void onNext(Statistics s) {
                            last.set(s);
                        }
                    });
            await(callback, 10);
            Statistics s = last.get();
            return s == null ? new StatsSample(0, 0, 0, 0, 0, 0, 0) : StatsMath.sample(s);
        });
    }

    @Override
    public Subscription stats(String id, StreamListener<StatsSample> listener) {
        return stream("stream the container's stats", listener,
                callback -> docker.statsCmd(id).exec(callback), StatsMath::sample);
    }

    @Override
    public Subscription logs(String id, int tail, boolean follow, boolean timestamps, StreamListener<LogLine> listener) {
        LogLineSplitter splitter = new LogLineSplitter(timestamps, listener::onItem);
        StreamListener<Frame> frames = new StreamListener<>() {
            @Override
            public void onItem(Frame frame) {
                splitter.accept(frame.getStreamType().name().toLowerCase(), frame.getPayload());
            }

            @Override
            public void onEnd() {
                splitter.flush();
                listener.onEnd();
            }

            @Override
            public void onError(EngineException error) {
                splitter.flush();
                listener.onError(error);
            }
        };
        return this.<Frame, Frame>stream("read the container's logs", frames, callback -> {
            var cmd = docker.logContainerCmd(id).withStdOut(true).withStdErr(true)
                    .withFollowStream(follow).withTimestamps(timestamps);
            if (tail >= 0) {
                cmd = cmd.withTail(tail);
            }
            return cmd.exec(callback);
        }, frame -> frame);
    }

    @Override
    public ExecSession exec(String containerId, List<String> command, int columns, int rows) {
        return call("open a shell in the container", () -> {
            ExecCreateCmdResponse created = docker.execCreateCmd(containerId)
                    .withAttachStdin(true).withAttachStdout(true).withAttachStderr(true).withTty(true)
                    .withEnv(List.of("TERM=xterm-256color", "COLUMNS=" + columns, "LINES=" + rows))
                    .withCmd(command.toArray(String[]::new)).exec();
            String execId = created.getId();
            BytePipe toProcess = new BytePipe();
            BytePipe fromProcess = new BytePipe();
            ResultCallback.Adapter<Frame> callback = docker.execStartCmd(execId).withTty(true)
                    .withStdIn(toProcess.source())
                    .exec(new ResultCallback.Adapter<>() {
                        @Override
                        public void onNext(Frame frame) {
                            try {
                                fromProcess.sink().write(frame.getPayload());
                            } catch (IOException e) {
                                // The session was closed; nothing reads any more.
                            }
                        }

                        @Override
                        public void onError(Throwable throwable) {
                            fromProcess.closeWriter();
                            super.onError(throwable);
                        }

                        @Override
                        public void onComplete() {
                            fromProcess.closeWriter();
                            super.onComplete();
                        }
                    });
            ExecSession session = new ExecSession() {
                @Override
                public InputStream output() {
                    return fromProcess.source();
                }

                @Override
                public OutputStream input() {
                    return toProcess.sink();
                }

                @Override
                public void resize(int cols, int lines) {
                    try {
                        docker.resizeExecCmd(execId).withSize(lines, cols).exec();
                    } catch (RuntimeException e) {
                        // The process may have exited between the layout pass and this call.
                    }
                }

                @Override
                public void close() {
                    toProcess.closeWriter();
                    fromProcess.closeWriter();
                    closeQuietly(callback);
                }
            };
            session.resize(columns, rows);
            return session;
        });
    }

    @Override
    public List<FileEntry> listFiles(String containerId, String directory) {
        return call("list files in the container", () -> {
            String path = "/containers/" + encode(containerId) + "/archive?path=" + encode(directory);
            try (DockerHttpClient.Response response = http.execute(request(DockerHttpClient.Request.Method.GET, path))) {
                checkStatus(response);
                return ArchiveListing.entries(directory, response.getBody());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void downloadFile(String containerId, String path, Path target) {
        run("download the file", () -> {
            try (InputStream in = docker.copyArchiveFromContainerCmd(containerId, path).exec();
                 TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    if (entry.isFile()) {
                        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                        return;
                    }
                }
                throw new EngineException.Invalid(path + " is not a regular file", null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public List<ImageSummary> images() {
        return call("list images", () -> docker.listImagesCmd().exec().stream()
                .map(DockerJavaEngineClient::summary).toList());
    }

    private static ImageSummary summary(Image i) {
        List<String> tags = i.getRepoTags() == null ? List.of() : Arrays.stream(i.getRepoTags())
                .filter(t -> !t.equals("<none>:<none>")).toList();
        return new ImageSummary(i.getId(), tags, i.getSize() == null ? 0 : i.getSize(),
                i.getCreated() == null ? 0 : i.getCreated(), i.getContainers() == null ? -1 : i.getContainers());
    }

    @Override
    public List<ImageLayer> history(String image) {
        return call("read the image's history", () -> {
            List<ImageLayer> layers = new ArrayList<>();
            for (JsonNode n : getJson("/images/" + encode(image) + "/history")) {
                layers.add(new ImageLayer(n.path("Id").asText("<missing>"), n.path("Created").asLong(0),
                        n.path("CreatedBy").asText(""), n.path("Size").asLong(0), n.path("Comment").asText("")));
            }
            return layers;
        });
    }

    @Override
    public void pull(String reference, Consumer<PullProgress> progress) {
        ImageReference ref = ImageReference.parse(reference);
        run("pull " + reference, () -> progressStream(docker.pullImageCmd(ref.repository()).withTag(ref.tag())
                .exec(new ProgressCallback<PullResponseItem>(progress))));
    }

    @Override
    public void push(String reference, Consumer<PullProgress> progress) {
        ImageReference ref = ImageReference.parse(reference);
        run("push " + reference, () -> progressStream(docker.pushImageCmd(ref.repository()).withTag(ref.tag())
                .exec(new ProgressCallback<PushResponseItem>(progress))));
    }

    /** Collects progress and the stream's in-band error (pulls fail inside a 200 response). */
    private static final class ProgressCallback<T extends ResponseItem> extends ResultCallback.Adapter<T> {
        private final Consumer<PullProgress> progress;
        private volatile String error;

        ProgressCallback(Consumer<PullProgress> progress) {
            this.progress = progress;
        }

        @Override
        public void onNext(T item) {
            if (item.getErrorDetail() != null || item.getError() != null) {
                error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
                return;
            }
            if (item.getStatus() == null) {
                return;
            }
            long current = item.getProgressDetail() == null || item.getProgressDetail().getCurrent() == null
                    ? 0 : item.getProgressDetail().getCurrent();
            long total = item.getProgressDetail() == null || item.getProgressDetail().getTotal() == null
                    ? 0 : item.getProgressDetail().getTotal();
            progress.accept(new PullProgress(item.getId(), item.getStatus(), current, total));
        }
    }

    private void progressStream(ProgressCallback<?> callback) {
        try {
            callback.awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.Failed("interrupted", e);
        }
        if (callback.error != null) {
            throw new EngineException.Failed(callback.error, null);
        }
    }

    @Override
    public void tag(String image, String repository, String tag) {
        run("tag the image", () -> docker.tagImageCmd(image, repository, tag).exec());
    }

    @Override
    public void removeImage(String image, boolean force) {
        run("delete the image", () -> docker.removeImageCmd(image).withForce(force).exec());
    }

    @Override
    public long pruneImages() {
        return call("prune images", () -> {
            Long reclaimed = docker.pruneCmd(PruneType.IMAGES).exec().getSpaceReclaimed();
            return reclaimed == null ? 0L : reclaimed;
        });
    }

    @Override
    public String run(ContainerSpec spec) {
        String id = call("create the container", () -> {
            HostConfig host = HostConfig.newHostConfig();
            List<ExposedPort> exposed = new ArrayList<>();
            Ports bindings = new Ports();
            for (ContainerSpec.PortMapping p : spec.ports()) {
                ExposedPort port = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
                exposed.add(port);
                bindings.bind(port, p.hostPort() == 0 ? Ports.Binding.empty() : Ports.Binding.bindPort(p.hostPort()));
            }
            if (!exposed.isEmpty()) {
                host.withPortBindings(bindings);
            }
            if (!spec.mounts().isEmpty()) {
                host.withBinds(spec.mounts().stream().map(m -> new Bind(m.source(), new Volume(m.target()),
                        m.readOnly() ? AccessMode.ro : AccessMode.rw)).toList());
            }
            if (spec.memoryBytes() > 0) {
                host.withMemory(spec.memoryBytes());
            }
            if (spec.nanoCpus() > 0) {
                host.withNanoCPUs(spec.nanoCpus());
            }
            host.withRestartPolicy(switch (spec.restartPolicy()) {
                case "always" -> RestartPolicy.alwaysRestart();
                case "unless-stopped" -> RestartPolicy.unlessStoppedRestart();
                case "on-failure" -> RestartPolicy.onFailureRestart(0);
                default -> RestartPolicy.noRestart();
            });
            if (spec.network() != null && !spec.network().isBlank()) {
                host.withNetworkMode(spec.network());
            }
            var create = docker.createContainerCmd(spec.image()).withHostConfig(host)
                    .withTty(spec.tty()).withStdinOpen(spec.interactive()).withEnv(spec.environment());
            if (!exposed.isEmpty()) {
                create = create.withExposedPorts(exposed);
            }
            if (spec.name() != null && !spec.name().isBlank()) {
                create = create.withName(spec.name());
            }
            if (!spec.command().isEmpty()) {
                create = create.withCmd(spec.command());
            }
            return create.exec().getId();
        });
        run("start the container", () -> docker.startContainerCmd(id).exec());
        return id;
    }

    @Override
    public List<VolumeSummary> volumes() {
        return call("list volumes", () -> {
            Map<String, List<String>> users = new java.util.HashMap<>();
            for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
                if (c.getMounts() == null) {
                    continue;
                }
                String name = summary(c).name();
                c.getMounts().stream().filter(m -> m.getName() != null)
                        .forEach(m -> users.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(name));
            }
            Map<String, Long> sizes = new java.util.HashMap<>();
            try {
                for (JsonNode v : getJson("/system/df?type=volume").path("Volumes")) {
                    sizes.put(v.path("Name").asText(), v.path("UsageData").path("Size").asLong(-1));
                }
            } catch (RuntimeException e) {
                // An engine without /system/df still lists its volumes; sizes show as unknown.
            }
            List<VolumeSummary> list = new ArrayList<>();
            for (JsonNode v : getJson("/volumes").path("Volumes")) {
                String name = v.path("Name").asText();
                Map<String, String> labels = new java.util.TreeMap<>();
                v.path("Labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
                list.add(new VolumeSummary(name, v.path("Driver").asText("local"), v.path("Mountpoint").asText(""),
                        v.path("CreatedAt").asText(""), labels, sizes.getOrDefault(name, -1L),
                        users.getOrDefault(name, List.of())));
            }
            return list;
        });
    }

    @Override
    public void createVolume(String name, Map<String, String> labels) {
        run("create the volume", () -> docker.createVolumeCmd().withName(name).withLabels(labels).exec());
    }

    @Override
    public void removeVolume(String name) {
        run("delete the volume", () -> docker.removeVolumeCmd(name).exec());
    }

    @Override
    public long pruneVolumes() {
        return call("prune volumes", () -> {
            Long reclaimed = docker.pruneCmd(PruneType.VOLUMES).exec().getSpaceReclaimed();
            return reclaimed == null ? 0L : reclaimed;
        });
    }

    @Override
    public VolumeFiles volumeFiles() {
        return volumeFiles;
    }

    @Override
    public List<NetworkSummary> networks() {
        return call("list networks", () -> {
            List<NetworkSummary> list = new ArrayList<>();
            for (JsonNode n : getJson("/networks")) {
                // The list leaves Containers empty on dockerd; inspect has them with their addresses.
                JsonNode full = getJson("/networks/" + encode(n.path("Id").asText()));
                JsonNode ipam = full.path("IPAM").path("Config").path(0);
                List<NetworkSummary.Endpoint> endpoints = new ArrayList<>();
                full.path("Containers").fields().forEachRemaining(f -> endpoints.add(new NetworkSummary.Endpoint(
                        f.getKey(), f.getValue().path("Name").asText(f.getKey()),
                        f.getValue().path("IPv4Address").asText(""))));
                list.add(new NetworkSummary(full.path("Id").asText(), full.path("Name").asText(),
                        full.path("Driver").asText(""), full.path("Scope").asText(""), ipam.path("Subnet").asText(""),
                        ipam.path("Gateway").asText(""), full.path("Internal").asBoolean(false), endpoints));
            }
            return list;
        });
    }

    @Override
    public String createNetwork(String name, String subnet, String gateway, boolean internal) {
        return call("create the network", () -> {
            var create = docker.createNetworkCmd().withName(name).withInternal(internal);
            if (subnet != null && !subnet.isBlank()) {
                var config = new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(subnet);
                if (gateway != null && !gateway.isBlank()) {
                    config.withGateway(gateway);
                }
                create = create.withIpam(new com.github.dockerjava.api.model.Network.Ipam().withConfig(config));
            }
            return create.exec().getId();
        });
    }

    @Override
    public void removeNetwork(String network) {
        run("delete the network", () -> docker.removeNetworkCmd(network).exec());
    }

    @Override
    public void connect(String network, String container) {
        run("connect the container", () -> docker.connectToNetworkCmd().withNetworkId(network).withContainerId(container).exec());
    }

    @Override
    public void disconnect(String network, String container) {
        run("disconnect the container", () -> docker.disconnectFromNetworkCmd().withNetworkId(network)
                .withContainerId(container).exec());
    }

    @Override
    public String build(Path context, java.util.Set<String> tags, Map<String, String> buildArgs, Consumer<String> output,
                        Transfer control) {
        return call("build the image", () -> {
            var cmd = docker.buildImageCmd(context.toFile()).withTags(tags);
            buildArgs.forEach(cmd::withBuildArg);
            AtomicReference<String> error = new AtomicReference<>();
            AtomicReference<String> imageId = new AtomicReference<>();
            java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
            var callback = cmd.exec(new com.github.dockerjava.api.command.BuildImageResultCallback() {
                @Override
                public void onComplete() {
                    super.onComplete();
                    ended.countDown();
                }

                @Override
                public void onError(Throwable throwable) {
                    super.onError(throwable);
                    ended.countDown();
                }

                @Override
                public void onNext(com.github.dockerjava.api.model.BuildResponseItem item) {
                    if (item.getStream() != null) {
                        output.accept(item.getStream());
                    }
                    if (item.getErrorDetail() != null || item.getError() != null) {
                        error.set(item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                                ? item.getErrorDetail().getMessage() : item.getError());
                    }
                    if (item.getImageId() != null) {
                        imageId.set(item.getImageId());
                    }
                    super.onNext(item);
                }
            });
            try {
                // Polled so a cancel is seen within a moment: closing the callback closes the request.
                // (docker-java's awaitCompletion with a timeout closes the stream, so it cannot poll.)
                while (!ended.await(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    if (control.cancelled()) {
                        closeQuietly(callback);
                        throw new Transfer.Cancelled("Build");
                    }
                }
                callback.awaitCompletion();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly(callback);
                throw new EngineException.Failed("interrupted", e);
            }
            if (control.cancelled()) {
                throw new Transfer.Cancelled("Build");
            }
            if (error.get() != null) {
                throw new EngineException.Failed(error.get(), null);
            }
            return imageId.get() == null ? "" : imageId.get();
        });
    }

    @Override
    public Subscription events(StreamListener<EngineEvent> listener) {
        return stream("follow the engine's events", listener, callback -> docker.eventsCmd().exec(callback),
                DockerJavaEngineClient::event);
    }

    private static EngineEvent event(Event e) {
        String type = e.getType() == null ? "container" : e.getType().getValue();
        String action = e.getAction() != null ? e.getAction() : e.getStatus() == null ? "" : e.getStatus();
        String actor = e.getActor() != null && e.getActor().getId() != null ? e.getActor().getId() : e.getId();
        return new EngineEvent(type, action, actor == null ? "" : actor,
                e.getActor() == null ? Map.of() : e.getActor().getAttributes());
    }

    @Override
    public void close() {
        try {
            docker.close();
        } catch (IOException e) {
            // Nothing to do: the connections are gone either way.
        }
    }

    // --- plumbing ------------------------------------------------------------------------------

    /** Opens a docker-java stream and adapts it to a {@link StreamListener} and {@link Subscription}. */
    private <R, T> Subscription stream(String what, StreamListener<T> listener,
                                       java.util.function.Function<ResultCallback.Adapter<R>, ResultCallback.Adapter<R>> open,
                                       java.util.function.Function<R, T> convert) {
        AtomicBoolean closedByUs = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        ResultCallback.Adapter<R> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(R item) {
                if (!closedByUs.get()) {
                    listener.onItem(convert.apply(item));
                }
            }

            @Override
            public void onError(Throwable t) {
                if (finished.compareAndSet(false, true)) {
                    if (closedByUs.get()) {
                        listener.onEnd();
                    } else {
                        listener.onError(translate(what, t));
                    }
                }
                super.onError(t);
            }

            @Override
            public void onComplete() {
                if (finished.compareAndSet(false, true)) {
                    listener.onEnd();
                }
                super.onComplete();
            }
        };
        call(what, () -> open.apply(callback));
        return () -> {
            if (closedByUs.compareAndSet(false, true)) {
                closeQuietly(callback);
            }
        };
    }

    private static void closeQuietly(java.io.Closeable callback) {
        try {
            callback.close();
        } catch (IOException | RuntimeException e) {
            // Closing a stream that already broke.
        }
    }

    private static void await(ResultCallback.Adapter<?> callback, int seconds) {
        try {
            if (!callback.awaitCompletion(seconds, TimeUnit.SECONDS)) {
                closeQuietly(callback);
                throw new EngineException.Failed("the engine did not answer within " + seconds + " s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.Failed("interrupted", e);
        }
    }

    private JsonNode getJson(String path) {
        try (DockerHttpClient.Response response = http.execute(request(DockerHttpClient.Request.Method.GET, path))) {
            checkStatus(response);
            return json.readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DockerHttpClient.Request request(DockerHttpClient.Request.Method method, String path) {
        return DockerHttpClient.Request.builder().method(method).path(path).build();
    }

    /** Raw calls get the same exceptions docker-java throws, so {@link #translate} handles both. */
    static void checkStatus(DockerHttpClient.Response response) throws IOException {
        int status = response.getStatusCode();
        if (status < 300) {
            return;
        }
        String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
        throw switch (status) {
            case 400 -> new BadRequestException(body);
            case 404 -> new NotFoundException(body);
            case 409 -> new ConflictException(body);
            case 403 -> new DockerException(body, 403);
            default -> new DockerException(body, status);
        };
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void run(String what, Runnable body) {
        call(what, () -> {
            body.run();
            return null;
        });
    }

    private <T> T call(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (NotModifiedException e) {
            // Starting a running or stopping a stopped container: already where the user wanted it.
            return null;
        } catch (EngineException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    /** docker-java's exceptions and transport failures as plain-worded {@link EngineException}s. */
    EngineException translate(String what, Throwable t) {
        if (t instanceof EngineException e) {
            return e;
        }
        if (t instanceof DockerException d) {
            String message = engineMessage(d.getMessage());
            return switch (d.getHttpStatus()) {
                case 400 -> new EngineException.Invalid(message, d);
                case 404 -> new EngineException.NotFound(message, d);
                case 409 -> new EngineException.Conflict(message, d);
                default -> new EngineException.Failed(message, d);
            };
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return new EngineException.Unreachable("Could not " + what + ": the engine at " + endpoint
                        + " does not answer (" + c.getMessage() + ")", t);
            }
        }
        return new EngineException.Failed("Could not " + what + ": " + t.getMessage(), t);
    }

    /** "Status 404: {"message":"No such container: x"}" becomes "No such container: x". */
    static String engineMessage(String raw) {
        if (raw == null) {
            return "the engine gave no reason";
        }
        Matcher m = JSON_MESSAGE.matcher(raw);
        if (m.find()) {
            return m.group(1).replace("\\\"", "\"").replace("\\n", " ").replace("\\\\", "\\").trim();
        }
        return raw.replaceFirst("^Status \\d+: ", "").trim();
    }
}
