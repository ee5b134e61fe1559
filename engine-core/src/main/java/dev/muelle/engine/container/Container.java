package dev.muelle.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;
import dev.muelle.engine.json.JsonValue;

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
public final class Container implements JsonValue {
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

    /** The stored record: every field, in declaration order (the engine's own two included). */
    @Override
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("Id", Id);
        n.put("Created", Created);
        n.put("Path", Path);
        n.set("Args", Json.node(Args));
        n.set("State", State == null ? Json.NODES.nullNode() : State.toJson());
        n.put("Image", Image);
        n.put("ResolvConfPath", ResolvConfPath);
        n.put("HostnamePath", HostnamePath);
        n.put("HostsPath", HostsPath);
        n.put("LogPath", LogPath);
        n.put("Name", Name);
        n.put("RestartCount", RestartCount);
        n.put("Driver", Driver);
        n.put("Platform", Platform);
        n.set("Config", Config == null ? Json.NODES.nullNode() : Config.toJson());
        n.set("HostConfig", HostConfig == null ? Json.NODES.nullNode() : HostConfig.toJson());
        n.set("Mounts", Json.node(Mounts));
        n.put("HasBeenManuallyStopped", HasBeenManuallyStopped);
        n.put("CgroupsPath", CgroupsPath);
        return n;
    }

    /** Reads a stored record ({@link #toJson}); fields it lacks keep their defaults. */
    public static Container fromJson(JsonNode json) {
        JsonRead r = JsonRead.of(json, "Container");
        Container c = new Container();
        c.Id = r.string("Id");
        c.Created = r.string("Created");
        c.Path = r.string("Path");
        if (r.raw("Args") != null) {
            c.Args = r.strings("Args");
        }
        if (r.raw("State") != null) {
            JsonRead s = r.struct("State");
            c.State = s == null ? null : ContainerState.fromJson(s);
        }
        c.Image = r.string("Image");
        c.ResolvConfPath = r.string("ResolvConfPath");
        c.HostnamePath = r.string("HostnamePath");
        c.HostsPath = r.string("HostsPath");
        c.LogPath = r.string("LogPath");
        c.Name = r.string("Name");
        c.RestartCount = r.int32("RestartCount", 0);
        if (r.raw("Driver") != null) {
            c.Driver = r.string("Driver");
        }
        if (r.raw("Platform") != null) {
            c.Platform = r.string("Platform");
        }
        JsonRead config = r.struct("Config");
        c.Config = config == null ? null : ContainerConfig.fromJson(config);
        JsonRead host = r.struct("HostConfig");
        c.HostConfig = host == null ? null : dev.muelle.engine.container.HostConfig.fromJson(host);
        if (r.raw("Mounts") != null) {
            c.Mounts = r.list("Mounts", MountPoint::fromJson);
        }
        c.HasBeenManuallyStopped = r.bool("HasBeenManuallyStopped", false);
        c.CgroupsPath = r.string("CgroupsPath");
        return c;
    }

    String shortId() {
        return Id.substring(0, 12);
    }

    String bareName() {
        return Name.startsWith("/") ? Name.substring(1) : Name;
    }
}
