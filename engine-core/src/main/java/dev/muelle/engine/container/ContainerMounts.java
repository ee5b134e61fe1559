package dev.muelle.engine.container;

import dev.muelle.engine.runtime.RuntimeSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What a container mounts besides its root filesystem, over its life:
 * <ol>
 *   <li>{@link #resolve} at create turns {@code HostConfig.Binds}, {@code HostConfig.Mounts},
 *       {@code VolumesFrom} and the image's and {@code -v /path}'s {@code Config.Volumes} into
 *       {@link MountPoint}s, creating named and anonymous volumes as needed;</li>
 *   <li>{@link #runtimeMounts} at every start gives the OCI mounts over the mounted rootfs (and
 *       fills a new, empty volume with the image's files at its path first, as Docker does);</li>
 *   <li>{@link #release} at remove lets go of the volumes; with {@code rm -v} the anonymous
 *       ones no other container uses are removed.</li>
 * </ol>
 * Implemented by the volume service's mount resolver; {@link #HOST_BINDS_ONLY} serves engines
 * wired without volumes (host-path binds only).
 */
public interface ContainerMounts {

    List<MountPoint> resolve(Container c, Function<String, Container> containers);

    List<RuntimeSpec.OciMount> runtimeMounts(Container c, Path rootfs);

    void release(Container c, boolean removeAnonymousVolumes);

    ContainerMounts HOST_BINDS_ONLY = new ContainerMounts() {
        @Override
        public List<MountPoint> resolve(Container c, Function<String, Container> containers) {
            return List.of();
        }

        @Override
        public List<RuntimeSpec.OciMount> runtimeMounts(Container c, Path rootfs) {
            return BindMounts.parse(c.HostConfig.Binds);
        }

        @Override
        public void release(Container c, boolean removeAnonymousVolumes) {
        }
    };
}
