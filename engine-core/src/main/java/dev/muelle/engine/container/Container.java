package dev.muelle.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.ArrayList;
import java.util.List;

/**
 * A container's persisted record: what {@code docker inspect} shows plus the few facts the
 * engine keeps for itself (whether the user stopped it, its cgroup). Stored as one JSON document
 * per row in {@code containers}; every state change rewrites it in one transaction.
 *
 * <p>Mutated only by {@link ContainerService} while holding the container's monitor.
 */
@SuppressWarnings("checkstyle:MemberName")
public final class Container {
    public String Id;
    public String Created;
    public String Path;
    public List<String> Args = new ArrayList<>();
    public ContainerState State = new ContainerState();
    /** The image ID (sha256:...); the name the user gave is {@code Config.Image}. */
    public String Image;
    public String ResolvConfPath;
    public String HostnamePath;
    public String HostsPath;
    public String LogPath;
    public String Name;
    public int RestartCount;
    public String Driver = "overlay2";
    public String Platform = "linux";
    public ContainerConfig Config;
    public HostConfig HostConfig;
    /** Volumes, binds and tmpfs mounts, decided at create ({@link ContainerMounts#resolve}). */
    public List<MountPoint> Mounts = new ArrayList<>();

    /** Set by docker stop/kill-by-user; keeps "always"/"unless-stopped" from restarting it. */
    public boolean HasBeenManuallyStopped;
    /** The cgroup path handed to runc, e.g. /muelle/&lt;id&gt;. */
    public String CgroupsPath;

    @JsonIgnore
    String shortId() {
        return Id.substring(0, 12);
    }

    @JsonIgnore
    String bareName() {
        return Name.startsWith("/") ? Name.substring(1) : Name;
    }
}
