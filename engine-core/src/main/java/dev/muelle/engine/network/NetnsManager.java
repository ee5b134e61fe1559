package dev.muelle.engine.network;

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
 */
public final class NetnsManager {

    private static final Logger LOG = LoggerFactory.getLogger(NetnsManager.class);

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
        // unshare(1) makes the namespace and bind-mounts it on the file in one step.
        new HostCommand("unshare", "--net=" + p, "true").check(null);
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
