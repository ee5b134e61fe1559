package dev.muelle.engine.network;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.muelle.engine.errors.EngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named network namespaces under {@code <exec-root>/netns/<container-id>}: each is a new netns
 * kept alive by a bind mount on that file (what {@code ip netns add} does), so it outlives the
 * process that made it, the container's restarts and the engine itself. runc joins it by path;
 * netavark configures it by path.
 *
 * <p>Made in-process (no {@code unshare} to spawn on a container's start path): a short-lived
 * thread unshares its network namespace, bind-mounts it on the file and ends, so no thread of the
 * engine is ever left in a container's namespace.
 */
public final class NetnsManager {

    private static final Logger LOG = LoggerFactory.getLogger(NetnsManager.class);

    private static final int CLONE_NEWNET = 0x40000000;
    private static final long MS_BIND = 4096;
    private static final long TIMEOUT_MILLIS = 10_000;

    interface Kernel extends Library {
        int unshare(int flags) throws LastErrorException;

        int mount(String source, String target, String fsType, long flags, Pointer data) throws LastErrorException;
    }

    private static final class Lazy {
        static final Kernel KERNEL = Native.load("c", Kernel.class);
    }

    private final Path dir;

    public NetnsManager(Path dir) {
        this.dir = dir;
    }

    public Path pathFor(String containerId) {
        return dir.resolve(containerId);
    }

    /** A fresh namespace for the container; an existing one (left by a crash) is replaced. */
    public Path create(String containerId) {
        Path p = pathFor(containerId);
        try {
            Files.createDirectories(dir);
            if (Files.exists(p)) {
                remove(p);
            }
            Files.createFile(p);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot create network namespace file " + p + ": " + e.getMessage(), e);
        }
        LastErrorException[] failed = new LastErrorException[1];
        Thread maker = new Thread(() -> {
            try {
                Lazy.KERNEL.unshare(CLONE_NEWNET);
                Lazy.KERNEL.mount("/proc/thread-self/ns/net", p.toString(), "none", MS_BIND, null);
            } catch (LastErrorException e) {
                failed[0] = e;
            }
        }, "netns-create");
        maker.start();
        try {
            maker.join(TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (maker.isAlive() || failed[0] != null) {
            remove(p);
            throw new EngineException.SystemError("cannot create network namespace " + p + ": "
                    + (failed[0] == null ? "timed out" : failed[0].getMessage()));
        }
        return p;
    }

    /** Unmounts and deletes the namespace file; the namespace ends when nothing else holds it. */
    public void remove(Path p) {
        HostCommand.Output o = new HostCommand("umount", "-l", p.toString()).run(null);
        if (o.exitCode() != 0 && !o.stderr().contains("not mounted")) {
            LOG.debug("umount {}: {}", p, o.stderr().trim());
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete network namespace file {}: {}", p, e.getMessage());
        }
    }
}
