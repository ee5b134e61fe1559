package dev.muelle.engine.api;

import dev.muelle.engine.build.Builder;
import dev.muelle.engine.container.ContainerCommit;
import dev.muelle.engine.container.ContainerIO;
import dev.muelle.engine.container.ContainerService;
import dev.muelle.engine.container.ExecService;
import dev.muelle.engine.events.EventBus;
import dev.muelle.engine.image.ImageService;
import dev.muelle.engine.volume.ContainerArchive;
import dev.muelle.engine.volume.VolumeFiles;
import dev.muelle.engine.volume.VolumeService;

import java.nio.file.Path;

/** Every endpoint of the engine, by group. Order matters: fixed paths before greedy image names. */
public final class Routes {

    private Routes() {
    }

    public static Router all(ContainerService containers, ContainerIO io, ExecService execs, ImageService images,
                             EventBus events, Path dataRoot, ContainerCommit commits, Builder builder,
                             VolumeService volumes) {
        Router r = new Router();
        new SystemHandlers(containers, images, volumes, events, dataRoot).register(r);
        new ContainerHandlers(containers, io).register(r);
        new ExecHandlers(execs).register(r);
        new CommitHandlers(commits).register(r);
        new BuildHandlers(builder).register(r);
        new VolumeHandlers(volumes).register(r);
        new VolumeFileHandlers(new VolumeFiles(volumes)).register(r);
        new ArchiveHandlers(new ContainerArchive(containers)).register(r);
        new ImageHandlers(images).register(r);
        new NetworkHandlers(containers.networks()).register(r);
        return r;
    }
}
