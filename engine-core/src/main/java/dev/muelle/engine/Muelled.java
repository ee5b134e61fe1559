package dev.muelle.engine;

import dev.muelle.engine.api.ApiServer;
import dev.muelle.engine.api.Routes;
import dev.muelle.engine.build.BuildCache;
import dev.muelle.engine.build.Builder;
import dev.muelle.engine.container.ContainerCommit;
import dev.muelle.engine.container.ContainerFiles;
import dev.muelle.engine.container.ContainerIO;
import dev.muelle.engine.container.ContainerService;
import dev.muelle.engine.container.ExecService;
import dev.muelle.engine.events.EventBus;
import dev.muelle.engine.image.ContentStore;
import dev.muelle.engine.image.ImageService;
import dev.muelle.engine.image.ImageUsage;
import dev.muelle.engine.image.LayerStore;
import dev.muelle.engine.image.Snapshotter;
import dev.muelle.engine.image.registry.RegistryHosts;
import dev.muelle.engine.network.NetworkService;
import dev.muelle.engine.runtime.CgroupStatsReader;
import dev.muelle.engine.runtime.ConmonRuncRuntime;
import dev.muelle.engine.runtime.ExitWatcher;
import dev.muelle.engine.store.Database;
import dev.muelle.engine.volume.MountResolver;
import dev.muelle.engine.volume.VolumeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The engine daemon: opens the data root (one engine per data root, held by a lock), wires the
 * services, adopts containers that kept running under conmon, and serves the API until SIGTERM.
 */
public final class Muelled {

    private static final Logger LOG = LoggerFactory.getLogger(Muelled.class);

    private Muelled() {
    }

    public static void main(String[] args) {
        EngineConfig config;
        try {
            config = EngineConfig.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("muelled: " + e.getMessage());
            }
            System.err.print(EngineConfig.USAGE);
            System.exit(2);
            return;
        }
        try {
            run(config);
        } catch (EngineStartException e) {
            System.err.println("muelled: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            LOG.error("engine failed", e);
            System.exit(1);
        }
    }

    /** A start-up failure with a message for the user (no stack trace). */
    static final class EngineStartException extends Exception {
        EngineStartException(String message) {
            super(message);
        }
    }

    static void run(EngineConfig config) throws Exception {
        Files.createDirectories(config.dataRoot());
        Files.createDirectories(config.execRoot());
        FileChannel lockChannel = FileChannel.open(config.dataRoot().resolve("engine.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock();
        if (lock == null) {
            throw new EngineStartException("another engine is already using the data root " + config.dataRoot()
                    + " (lock " + config.dataRoot().resolve("engine.lock") + " is held); stop it first or pass --data-root");
        }
        Database db = Database.open(config.dataRoot().resolve("muelle.db"));
        EventBus events = new EventBus();
        Path containersDir = config.dataRoot().resolve("containers");
        Files.createDirectories(containersDir);

        // The image service asks which containers use an image; the container service needs the
        // image service to create containers. The late-bound reference breaks that cycle.
        ContainerService[] containersRef = new ContainerService[1];
        Path imageRoot = config.dataRoot().resolve("image");
        ContentStore blobs = ContentStore.open(imageRoot.resolve("blobs"));
        LayerStore layers = LayerStore.open(imageRoot.resolve("layers"), db, blobs);
        RegistryHosts registries = new RegistryHosts(config.insecureRegistries(),
                List.of(config.registryCertsDir(), Path.of("/etc/docker/certs.d")));
        ImageService images = new ImageService(blobs, layers, db, new ImageUsage() {
            @Override
            public List<String> containersUsing(String imageId) {
                return containersRef[0] == null ? List.of() : containersRef[0].containersUsing(imageId);
            }

            @Override
            public List<String> runningContainersUsing(String imageId) {
                return containersRef[0] == null ? List.of() : containersRef[0].runningContainersUsing(imageId);
            }
        }, registries, events);
        images.recover();
        Snapshotter snapshots = new Snapshotter(containersDir, db, layers, images);
        ConmonRuncRuntime runtime = new ConmonRuncRuntime(config.execRoot(), config.execRoot().resolve("runc"));
        VolumeService volumes = new VolumeService(config.dataRoot().resolve("volumes"), db,
                name -> containersRef[0] == null ? List.of() : containersRef[0].containersUsingVolume(name), events);
        NetworkService networks = new NetworkService(db, config.execRoot(), events,
                new NetworkService.DefaultBridge(config.bridge(), config.bip()));
        ContainerService containers = new ContainerService(db, images, snapshots, runtime, events,
                new ContainerFiles(containersDir, new MountResolver(volumes)), networks);
        containersRef[0] = containers;
        networks.setContainers(containers::networkMember);
        ExecService execs = new ExecService(containers);
        ContainerIO io = new ContainerIO(containers, CgroupStatsReader.forThisHost());

        // Watch first so no exit is missed; recover() settles what happened while we were down and
        // clears those exit files, so the scan then reports only exits that raced with start-up.
        ExitWatcher watcher = runtime.watchExits(containers::onExit);
        containers.recover();
        networks.recover(id -> {
            try {
                return containers.get(id).State.Running;
            } catch (RuntimeException e) {
                return false;
            }
        });
        watcher.scanExisting();

        Path scratch = config.dataRoot().resolve("tmp");
        ContainerCommit commits = new ContainerCommit(containers, snapshots, images, scratch);
        Builder builder = new Builder(images, containers, snapshots, layers, new BuildCache(db), scratch);

        ApiServer server = new ApiServer(config.socket());
        server.start(Routes.all(containers, io, execs, images, events, config.dataRoot(), commits, builder, volumes));
        LOG.info("Muelle engine listening on unix://{} (data root {})", config.socket(), config.dataRoot());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down; running containers keep running under conmon");
            server.close();
            watcher.close();
            containers.shutdown();
            networks.shutdown();
            db.close();
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException ignored) {
                // exiting anyway
            }
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
