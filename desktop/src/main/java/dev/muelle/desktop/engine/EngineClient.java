package dev.muelle.desktop.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The desktop's one way to talk to a Docker-API engine. View-models depend on this interface only;
 * {@link DockerJavaEngineClient} implements it over a socket, tests use a fake.
 *
 * <p>Every method blocks until the engine answers and must therefore never be called on the UI
 * thread (view-models run them through a {@code TaskExecutor}). Streams ({@link #events},
 * {@link #logs}, {@link #stats}) deliver items on their own thread and run until closed. Failures
 * are {@link EngineException}s with a message the user can read.
 */
public interface EngineClient extends AutoCloseable {

    /** Where this client connects, e.g. {@code unix:///run/muelle/muelle.sock}. */
    String endpoint();

    /** Whether the engine answers {@code /_ping} right now. Never throws. */
    boolean ping();

    EngineInfo info();

    List<ContainerSummary> containers();

    void start(String containerId);

    void stop(String containerId);

    void restart(String containerId);

    void pause(String containerId);

    void unpause(String containerId);

    /** Remove a container; {@code force} kills it first when it runs. */
    void remove(String containerId, boolean force);

    /** {@code docker inspect} of a container as the engine sent it (pretty JSON text). */
    String inspect(String containerId);

    /** One stats reading without streaming (used to fill the table once, not continuously). */
    StatsSample statsOnce(String containerId);

    /** Live stats, about one sample a second, until closed. */
    Subscription stats(String containerId, StreamListener<StatsSample> listener);

    /** The last {@code tail} lines, then (when {@code follow}) new lines as they come. */
    Subscription logs(String containerId, int tail, boolean follow, boolean timestamps,
                      StreamListener<LogLine> listener);

    /** Start {@code command} in the container with a TTY of the given size. */
    ExecSession exec(String containerId, List<String> command, int columns, int rows);

    /** The entries of a directory inside the container, read through the archive API. */
    List<FileEntry> listFiles(String containerId, String directory);

    /** Copy one file out of the container (archive API) to {@code target} on the host. */
    void downloadFile(String containerId, String path, Path target);

    List<ImageSummary> images();

    List<ImageLayer> history(String image);

    /** Pull {@code reference} (name[:tag]); blocks until done and reports progress on the way. */
    void pull(String reference, Consumer<PullProgress> progress);

    void push(String reference, Consumer<PullProgress> progress);

    void tag(String image, String repository, String tag);

    void removeImage(String image, boolean force);

    /** Remove dangling images; returns the bytes reclaimed. */
    long pruneImages();

    /** Create a container from {@code spec} and start it; returns its ID. */
    String run(ContainerSpec spec);

    /** Volumes with their size (when the engine reports it) and the containers using them. */
    List<VolumeSummary> volumes();

    void createVolume(String name, Map<String, String> labels);

    /** Fails with {@link EngineException.Conflict} while a container uses the volume. */
    void removeVolume(String name);

    /** Remove volumes no container uses; returns the bytes reclaimed. */
    long pruneVolumes();

    /** The files inside volumes (Muelle's volume file API). */
    VolumeFiles volumeFiles();

    /** Networks with their subnet, gateway and connected containers (addresses included). */
    List<NetworkSummary> networks();

    /** Create a bridge network; {@code subnet} and {@code gateway} may be blank (engine picks). Returns its ID. */
    String createNetwork(String name, String subnet, String gateway, boolean internal);

    /** Fails with {@link EngineException.Conflict} and the engine's reason while containers use it. */
    void removeNetwork(String network);

    void connect(String network, String container);

    void disconnect(String network, String container);

    /**
     * Build the folder {@code context} (with its Dockerfile) with the classic builder; every line
     * of the build's output goes to {@code output} as it comes. Returns the image ID.
     * {@link Transfer#cancel()} on {@code control} closes the request (the engine stops a build
     * whose client went away) and the call fails with {@link Transfer.Cancelled}.
     */
    String build(Path context, Set<String> tags, Map<String, String> buildArgs, Consumer<String> output, Transfer control);

    /** Engine events from now on, until closed or the engine goes away ({@code onError}). */
    Subscription events(StreamListener<EngineEvent> listener);

    @Override
    void close();
}
