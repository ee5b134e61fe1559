package dev.muelle.engine.container;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;
import dev.muelle.engine.json.JsonValue;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker's {@code HostConfig}: the host-dependent settings (resources, restart policy,
 * privileges, mounts, network mode). Same naming rules as {@link ContainerConfig}.
 */
@SuppressWarnings("checkstyle:MemberName")
public final class HostConfig implements JsonValue {
    public List<String> Binds;
    public String ContainerIDFile;
    public LogConfig LogConfig;
    public String NetworkMode;
    public Map<String, Object> PortBindings;
    public RestartPolicy RestartPolicy;
    public Boolean AutoRemove;
    public List<String> VolumesFrom;
    public List<Object> Mounts;
    public List<String> CapAdd;
    public List<String> CapDrop;
    public String CgroupnsMode;
    public List<String> Dns;
    public List<String> DnsOptions;
    public List<String> DnsSearch;
    public List<String> ExtraHosts;
    public List<String> GroupAdd;
    public String IpcMode;
    public String PidMode;
    public Boolean Privileged;
    public Boolean PublishAllPorts;
    public Boolean ReadonlyRootfs;
    public List<String> SecurityOpt;
    public Map<String, String> Tmpfs;
    public String UTSMode;
    public Long ShmSize;
    public Map<String, String> Sysctls;
    public String Runtime;
    public Long CpuShares;
    public Long Memory;
    public Long NanoCpus;
    public String CgroupParent;
    public Long CpuPeriod;
    public Long CpuQuota;
    public String CpusetCpus;
    public String CpusetMems;
    public Long MemoryReservation;
    public Long MemorySwap;
    public Long MemorySwappiness;
    public Boolean OomKillDisable;
    public Long PidsLimit;
    public List<Ulimit> Ulimits;
    public Boolean Init;
    public List<DeviceMapping> Devices;
    public List<String> DeviceCgroupRules;
    public Integer OomScoreAdj;

    private final ObjectNode other = Json.object();

    private static final Set<String> FIELDS = Set.of(
            "Binds", "ContainerIDFile", "LogConfig", "NetworkMode", "PortBindings", "RestartPolicy",
            "AutoRemove", "VolumesFrom", "Mounts", "CapAdd", "CapDrop", "CgroupnsMode", "Dns",
            "DnsOptions", "DnsSearch", "ExtraHosts", "GroupAdd", "IpcMode", "PidMode", "Privileged",
            "PublishAllPorts", "ReadonlyRootfs", "SecurityOpt", "Tmpfs", "UTSMode", "ShmSize",
            "Sysctls", "Runtime", "CpuShares", "Memory", "NanoCpus", "CgroupParent", "CpuPeriod",
            "CpuQuota", "CpusetCpus", "CpusetMems", "MemoryReservation", "MemorySwap",
            "MemorySwappiness", "OomKillDisable", "PidsLimit", "Ulimits", "Init", "Devices",
            "DeviceCgroupRules", "OomScoreAdj");

    /** The fields in declaration order, then the ones this engine keeps without acting on. */
    @Override
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.set("Binds", Json.node(Binds));
        n.put("ContainerIDFile", ContainerIDFile);
        n.set("LogConfig", Json.node(LogConfig));
        n.put("NetworkMode", NetworkMode);
        n.set("PortBindings", Json.node(PortBindings));
        n.set("RestartPolicy", Json.node(RestartPolicy));
        n.put("AutoRemove", AutoRemove);
        n.set("VolumesFrom", Json.node(VolumesFrom));
        n.set("Mounts", Json.node(Mounts));
        n.set("CapAdd", Json.node(CapAdd));
        n.set("CapDrop", Json.node(CapDrop));
        n.put("CgroupnsMode", CgroupnsMode);
        n.set("Dns", Json.node(Dns));
        n.set("DnsOptions", Json.node(DnsOptions));
        n.set("DnsSearch", Json.node(DnsSearch));
        n.set("ExtraHosts", Json.node(ExtraHosts));
        n.set("GroupAdd", Json.node(GroupAdd));
        n.put("IpcMode", IpcMode);
        n.put("PidMode", PidMode);
        n.put("Privileged", Privileged);
        n.put("PublishAllPorts", PublishAllPorts);
        n.put("ReadonlyRootfs", ReadonlyRootfs);
        n.set("SecurityOpt", Json.node(SecurityOpt));
        n.set("Tmpfs", Json.node(Tmpfs));
        n.put("ShmSize", ShmSize);
        n.set("Sysctls", Json.node(Sysctls));
        n.put("Runtime", Runtime);
        n.put("CpuShares", CpuShares);
        n.put("Memory", Memory);
        n.put("NanoCpus", NanoCpus);
        n.put("CgroupParent", CgroupParent);
        n.put("CpuPeriod", CpuPeriod);
        n.put("CpuQuota", CpuQuota);
        n.put("CpusetCpus", CpusetCpus);
        n.put("CpusetMems", CpusetMems);
        n.put("MemoryReservation", MemoryReservation);
        n.put("MemorySwap", MemorySwap);
        n.put("MemorySwappiness", MemorySwappiness);
        n.put("OomKillDisable", OomKillDisable);
        n.put("PidsLimit", PidsLimit);
        n.set("Ulimits", Json.node(Ulimits));
        n.put("Init", Init);
        n.set("Devices", Json.node(Devices));
        n.set("DeviceCgroupRules", Json.node(DeviceCgroupRules));
        n.put("OomScoreAdj", OomScoreAdj);
        n.put("UTSMode", UTSMode); // after the others, where Jackson put its one renamed field
        n.setAll(other.deepCopy());
        return n;
    }

    /** Reads a client's or a stored HostConfig; wrong types fail with Go's wording. */
    public static HostConfig fromJson(JsonRead r) {
        HostConfig x = new HostConfig();
        x.Binds = r.strings("Binds");
        x.ContainerIDFile = r.string("ContainerIDFile");
        x.LogConfig = nested(r.struct("LogConfig"), LogConfig::new);
        x.NetworkMode = r.string("NetworkMode");
        x.PortBindings = r.map("PortBindings");
        x.RestartPolicy = nested(r.struct("RestartPolicy"), RestartPolicy::new);
        x.AutoRemove = r.bool("AutoRemove");
        x.VolumesFrom = r.strings("VolumesFrom");
        x.Mounts = r.objects("Mounts");
        x.CapAdd = r.strings("CapAdd");
        x.CapDrop = r.strings("CapDrop");
        x.CgroupnsMode = r.string("CgroupnsMode");
        x.Dns = r.strings("Dns");
        x.DnsOptions = r.strings("DnsOptions");
        x.DnsSearch = r.strings("DnsSearch");
        x.ExtraHosts = r.strings("ExtraHosts");
        x.GroupAdd = r.strings("GroupAdd");
        x.IpcMode = r.string("IpcMode");
        x.PidMode = r.string("PidMode");
        x.Privileged = r.bool("Privileged");
        x.PublishAllPorts = r.bool("PublishAllPorts");
        x.ReadonlyRootfs = r.bool("ReadonlyRootfs");
        x.SecurityOpt = r.strings("SecurityOpt");
        x.Tmpfs = r.stringMap("Tmpfs");
        x.UTSMode = r.string("UTSMode");
        x.ShmSize = r.int64("ShmSize");
        x.Sysctls = r.stringMap("Sysctls");
        x.Runtime = r.string("Runtime");
        x.CpuShares = r.int64("CpuShares");
        x.Memory = r.int64("Memory");
        x.NanoCpus = r.int64("NanoCpus");
        x.CgroupParent = r.string("CgroupParent");
        x.CpuPeriod = r.int64("CpuPeriod");
        x.CpuQuota = r.int64("CpuQuota");
        x.CpusetCpus = r.string("CpusetCpus");
        x.CpusetMems = r.string("CpusetMems");
        x.MemoryReservation = r.int64("MemoryReservation");
        x.MemorySwap = r.int64("MemorySwap");
        x.MemorySwappiness = r.int64("MemorySwappiness");
        x.OomKillDisable = r.bool("OomKillDisable");
        x.PidsLimit = r.int64("PidsLimit");
        x.Ulimits = r.list("Ulimits", Ulimit::new);
        x.Init = r.bool("Init");
        x.Devices = r.list("Devices", DeviceMapping::new);
        x.DeviceCgroupRules = r.strings("DeviceCgroupRules");
        x.OomScoreAdj = r.int32("OomScoreAdj");
        x.other.setAll(r.others(FIELDS));
        return x;
    }

    /** A deep copy, through the JSON form. */
    HostConfig copy() {
        return fromJson(JsonRead.of(toJson(), "HostConfig"));
    }

    private static <T> T nested(JsonRead r, java.util.function.Function<JsonRead, T> read) {
        return r == null ? null : read.apply(r);
    }

    /** {@code {"Type": "json-file", "Config": {}}}. */
    public static final class LogConfig implements JsonValue {
        public String Type;
        public Map<String, String> Config;

        @Override
        public ObjectNode toJson() {
            ObjectNode n = Json.object();
            n.put("Type", Type);
            n.set("Config", Json.node(Config));
            return n;
        }

        public LogConfig() {
        }

        LogConfig(JsonRead r) {
            Type = r.string("Type");
            Config = r.stringMap("Config");
        }
    }

    /** {@code {"Name": "on-failure", "MaximumRetryCount": 3}}; empty name means "no". */
    public static final class RestartPolicy implements JsonValue {
        public String Name;
        public Integer MaximumRetryCount;

        @Override
        public ObjectNode toJson() {
            ObjectNode n = Json.object();
            n.put("Name", Name);
            n.put("MaximumRetryCount", MaximumRetryCount);
            return n;
        }

        public RestartPolicy() {
        }

        RestartPolicy(JsonRead r) {
            Name = r.string("Name");
            MaximumRetryCount = r.int32("MaximumRetryCount");
        }

        String name() {
            return Name == null || Name.isEmpty() ? "no" : Name;
        }

        int maxRetries() {
            return MaximumRetryCount == null ? 0 : MaximumRetryCount;
        }
    }

    /** {@code {"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse", "CgroupPermissions": "rwm"}}. */
    public static final class DeviceMapping implements JsonValue {
        public String PathOnHost;
        public String PathInContainer;
        public String CgroupPermissions;

        @Override
        public ObjectNode toJson() {
            ObjectNode n = Json.object();
            n.put("PathOnHost", PathOnHost);
            n.put("PathInContainer", PathInContainer);
            n.put("CgroupPermissions", CgroupPermissions);
            return n;
        }

        public DeviceMapping() {
        }

        DeviceMapping(JsonRead r) {
            PathOnHost = r.string("PathOnHost");
            PathInContainer = r.string("PathInContainer");
            CgroupPermissions = r.string("CgroupPermissions");
        }
    }

    /** {@code {"Name": "nofile", "Soft": 1024, "Hard": 2048}}. */
    public static final class Ulimit implements JsonValue {
        public String Name;
        public Long Soft;
        public Long Hard;

        @Override
        public ObjectNode toJson() {
            ObjectNode n = Json.object();
            n.put("Name", Name);
            n.put("Soft", Soft);
            n.put("Hard", Hard);
            return n;
        }

        public Ulimit() {
        }

        Ulimit(JsonRead r) {
            Name = r.string("Name");
            Soft = r.int64("Soft");
            Hard = r.int64("Hard");
        }
    }

    long memory() {
        return Memory == null ? 0 : Memory;
    }

    boolean privileged() {
        return Boolean.TRUE.equals(Privileged);
    }

    boolean autoRemove() {
        return Boolean.TRUE.equals(AutoRemove);
    }

    RestartPolicy restartPolicy() {
        return RestartPolicy == null ? new RestartPolicy() : RestartPolicy;
    }
}
