package dev.muelle.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.image.ConfigChanges;
import dev.muelle.engine.image.ImageReference;
import dev.muelle.engine.image.ImageService;
import dev.muelle.engine.image.LayerDiffWriter;
import dev.muelle.engine.image.RootfsView;
import dev.muelle.engine.image.Snapshot;
import dev.muelle.engine.image.Snapshotter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a container's writable layer becomes outside the container: a new image
 * ({@code docker commit}), a tar of its whole root filesystem ({@code docker export}) or a list
 * of changed paths ({@code docker diff}). The layer is read from the snapshot's upper dir, so a
 * committed image's top layer holds exactly what the container changed, deletions included.
 */
public final class ContainerCommit {

    /** {@code POST /commit}'s parameters; {@code config} (may be null) overrides the container's. */
    public record Request(String container, String repo, String tag, String comment, String author, boolean pause,
                          List<String> changes, JsonNode config) {
    }

    /**
     * Paths (relative to the rootfs) the engine bind-mounts into every container; runc leaves
     * empty mount points for them in the upper dir, which are not the container's changes.
     */
    public static final Set<String> ENGINE_FILES = Set.of("etc/hostname", "etc/hosts", "etc/resolv.conf");

    private final ContainerService containers;
    private final Snapshotter snapshots;
    private final ImageService images;
    private final Path scratch;

    public ContainerCommit(ContainerService containers, Snapshotter snapshots, ImageService images, Path scratch) {
        this.containers = containers;
        this.snapshots = snapshots;
        this.images = images;
        this.scratch = scratch;
    }

    /** {@code docker commit}: returns the new image ID; tags {@code repo:tag} when repo is given. */
    public String commit(Request r) {
        Container c = containers.get(r.container());
        ImageReference ref = r.repo() == null || r.repo().isEmpty() ? null : ImageReference.ofTag(r.repo(), r.tag());
        ObjectNode config = c.Config.toJson();
        if (r.config() instanceof ObjectNode override) {
            override.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    config.set(e.getKey(), e.getValue());
                }
            });
        }
        ConfigChanges.apply(config, r.changes() == null ? List.of() : r.changes());
        boolean pause = r.pause() && c.State.Running && !c.State.Paused;
        if (pause) {
            containers.pause(c.Id);
        }
        String id;
        try {
            Snapshot snap = snapshots.get(c.Id);
            List<String> argv = new ArrayList<>();
            argv.add(c.Path);
            argv.addAll(c.Args);
            id = images.commit(new ImageService.NewImage(c.Image, config, String.join(" ", argv), r.comment(),
                    r.author()), out -> LayerDiffWriter.write(snap.upperDir(), out, ENGINE_FILES));
        } finally {
            if (pause) {
                containers.unpause(c.Id);
            }
        }
        if (ref != null) {
            images.tag(id, ref.name(), ref.tag());
        }
        containers.emit(c, "commit", Map.of("comment", r.comment() == null ? "" : r.comment()));
        return id;
    }

    /** {@code docker diff}: A/C/D per path, from the upper dir over the image's layers. */
    public List<LayerDiffWriter.Change> changes(String ref) {
        Container c = containers.get(ref);
        Snapshot snap = snapshots.get(c.Id);
        try {
            return LayerDiffWriter.changes(snap.upperDir(), snap.lowerDirs(), ENGINE_FILES);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot list changes of " + c.Id + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code docker export}: the merged root filesystem as a tar. A stopped container's layers
     * are viewed read-only, so exporting never mounts its rootfs or races with its start.
     */
    public void export(String ref, OutputStream out) throws IOException {
        Container c = containers.get(ref);
        Snapshot snap = snapshots.get(c.Id);
        List<java.nio.file.Path> dirs = new ArrayList<>();
        dirs.add(snap.upperDir());
        dirs.addAll(snap.lowerDirs());
        try (RootfsView view = RootfsView.of(dirs, scratch)) {
            LayerDiffWriter.write(view.root(), out);
        }
        containers.emit(c, "export", Map.of());
    }
}
