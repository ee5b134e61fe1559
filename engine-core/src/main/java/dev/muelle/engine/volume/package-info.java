/**
 * Volumes and the files inside them.
 *
 * <ul>
 *   <li>{@link dev.muelle.engine.volume.VolumeService}: the local driver's named and anonymous
 *       volumes ({@code <data-root>/volumes/<name>/_data}, metadata in the {@code volumes} table).</li>
 *   <li>{@link dev.muelle.engine.volume.MountResolver}: Docker's mount rules for a container
 *       (binds, volumes, tmpfs, volumes-from, copy-up), plugged into the container service as its
 *       {@link dev.muelle.engine.container.ContainerMounts}.</li>
 *   <li>{@link dev.muelle.engine.volume.RootedFs} and {@link dev.muelle.engine.volume.TreeArchiver}:
 *       confined file access and tar streams, shared by
 *       {@link dev.muelle.engine.volume.ContainerArchive} ({@code docker cp}) and
 *       {@link dev.muelle.engine.volume.VolumeFiles} (the volume file API, {@code docs/volume-file-api.md}).</li>
 * </ul>
 *
 * <p>Walkthrough, {@code docker run -v my_datos:/opt/app busybox}: at create the resolver makes
 * {@code my_datos} if it is new and records a {@code volume} mount point; at start it copies the
 * image's {@code /opt/app} into the still-empty volume and hands runc a bind of {@code _data};
 * {@code docker rm} keeps the volume ({@code rm -v} removes only anonymous ones); while any
 * container record mentions it, {@code docker volume rm} answers 409.
 */
package dev.muelle.engine.volume;
