package dev.muelle.engine.container;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's {@code HostConfig}: the host-dependent settings (resources, restart policy,
 * privileges, mounts, network mode). Same naming rules as {@link ContainerConfig}.
 */
@SuppressWarnings("checkstyle:MemberName")
public final class HostConfig {
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
    @JsonProperty("UTSMode")
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

    private final Map<String, Object> other = new LinkedHashMap<>();

    @JsonAnySetter
    void set(String name, Object value) {
        other.put(name, value);
    }

    @JsonAnyGetter
    Map<String, Object> other() {
        return other;
    }

    /** {@code {"Type": "json-file", "Config": {}}}. */
    public static final class LogConfig {
        public String Type;
        public Map<String, String> Config;
    }

    /** {@code {"Name": "on-failure", "MaximumRetryCount": 3}}; empty name means "no". */
    public static final class RestartPolicy {
        public String Name;
        public Integer MaximumRetryCount;

        String name() {
            return Name == null || Name.isEmpty() ? "no" : Name;
        }

        int maxRetries() {
            return MaximumRetryCount == null ? 0 : MaximumRetryCount;
        }
    }

    /** {@code {"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse", "CgroupPermissions": "rwm"}}. */
    public static final class DeviceMapping {
        public String PathOnHost;
        public String PathInContainer;
        public String CgroupPermissions;
    }

    /** {@code {"Name": "nofile", "Soft": 1024, "Hard": 2048}}. */
    public static final class Ulimit {
        public String Name;
        public Long Soft;
        public Long Hard;
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
