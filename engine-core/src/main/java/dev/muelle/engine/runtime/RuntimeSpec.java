package dev.muelle.engine.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything about one container that the OCI runtime bundle depends on, in Docker's terms
 * (Docker user spec, NanoCpus, cap-add/cap-drop names, ulimits). {@link OciSpecWriter} turns it
 * into {@code config.json} with Docker's defaults filled in.
 *
 * <p>Invariants: {@code id} and {@code rootfs} are set; lists and maps are never null (null
 * becomes empty) and are unmodifiable; {@code cwd} and {@code user} are never null ("" means
 * Docker's default: "/" and root). {@code netnsPath} is null for a fresh network namespace,
 * {@link #HOST_NETWORK} to share the host's, or the path of an existing namespace (e.g. one
 * netavark configured). {@code cgroupsPath} may be null (runc then picks one).
 * {@code openStdin} has no place in config.json (stdin is wired by the monitor, conmon); it is
 * carried so one value describes the whole process.
 */
public record RuntimeSpec(
        String id,
        Path rootfs,
        List<String> args,
        List<String> env,
        String cwd,
        String user,
        String hostname,
        String domainname,
        boolean tty,
        boolean openStdin,
        Resources resources,
        boolean privileged,
        List<String> capAdd,
        List<String> capDrop,
        boolean readonlyRootfs,
        boolean init,
        List<Ulimit> ulimits,
        List<OciMount> mounts,
        String netnsPath,
        String cgroupsPath,
        Map<String, String> sysctls,
        List<String> groupAdd,
        boolean seccompUnconfined,
        HostSettings host) {

    /** {@link #netnsPath()} value that shares the host's network namespace (Docker's {@code --network host}). */
    public static final String HOST_NETWORK = "host";

    public RuntimeSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rootfs, "rootfs");
        args = List.copyOf(args == null ? List.of() : args);
        env = List.copyOf(env == null ? List.of() : env);
        cwd = cwd == null ? "" : cwd;
        user = user == null ? "" : user;
        hostname = hostname == null ? "" : hostname;
        domainname = domainname == null ? "" : domainname;
        resources = resources == null ? Resources.NONE : resources;
        capAdd = List.copyOf(capAdd == null ? List.of() : capAdd);
        capDrop = List.copyOf(capDrop == null ? List.of() : capDrop);
        ulimits = List.copyOf(ulimits == null ? List.of() : ulimits);
        mounts = List.copyOf(mounts == null ? List.of() : mounts);
        sysctls = Map.copyOf(sysctls == null ? Map.of() : sysctls);
        groupAdd = List.copyOf(groupAdd == null ? List.of() : groupAdd);
        host = host == null ? HostSettings.DEFAULT : host;
    }

    /**
     * Namespaces, /dev/shm and devices shared with the host or another container, Docker's
     * {@code --pid --ipc --cgroupns --shm-size --device --device-cgroup-rule --oom-score-adj}.
     *
     * @param pidNamespace null for a new PID namespace, {@link #HOST_NAMESPACE} for the host's,
     *     else the path of the namespace to join ({@code /proc/<pid>/ns/pid})
     * @param ipcNamespace as {@code pidNamespace}, for IPC
     * @param shm how /dev/shm is given: {@link #SHM_TMPFS} (a fresh tmpfs of {@code shmSize}),
     *     {@link #SHM_NONE}, or a host path bind-mounted there (the host's or a donor's /dev/shm)
     * @param cgroupNamespace "host", "private" or "" for Docker's default for the host's cgroup mode
     * @param devices host devices to create in the container
     * @param deviceCgroupRules extra rules in the cgroup devices syntax ({@code c 1:3 rwm})
     */
    public record HostSettings(String pidNamespace, String ipcNamespace, String shm, long shmSize,
                               String cgroupNamespace, List<Device> devices, List<String> deviceCgroupRules,
                               int oomScoreAdj) {
        public static final String SHM_TMPFS = "tmpfs";
        public static final String SHM_NONE = "none";
        public static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;
        public static final HostSettings DEFAULT = new HostSettings(null, null, SHM_TMPFS, 0, "", List.of(), List.of(), 0);

        public HostSettings {
            shm = shm == null ? SHM_TMPFS : shm;
            shmSize = shmSize <= 0 ? DEFAULT_SHM_SIZE : shmSize;
            cgroupNamespace = cgroupNamespace == null ? "" : cgroupNamespace;
            devices = List.copyOf(devices == null ? List.of() : devices);
            deviceCgroupRules = List.copyOf(deviceCgroupRules == null ? List.of() : deviceCgroupRules);
        }
    }

    /** {@code --device HOST[:CONTAINER[:PERMISSIONS]]}: a host device node made in the container. */
    public record Device(String pathOnHost, String pathInContainer, String permissions) {
    }

    /** A namespace value that shares the host's (pid, ipc). */
    public static final String HOST_NAMESPACE = "host";

    /** A builder for the common case: most containers set only a handful of these fields. */
    public static Builder builder(String id, Path rootfs) {
        return new Builder(id, rootfs);
    }

    /**
     * Docker's HostConfig resource fields, same units as the API: bytes, nano-CPUs, CFS
     * microseconds. Zero means "not set"; {@code memorySwap} -1 means unlimited swap;
     * {@code pidsLimit} null means not set, zero or less means unlimited.
     */
    public record Resources(
            long memory,
            long memorySwap,
            long nanoCpus,
            long cpuShares,
            long cpuQuota,
            long cpuPeriod,
            String cpusetCpus,
            Long pidsLimit) {

        public static final Resources NONE = new Resources(0, 0, 0, 0, 0, 0, null, null);
    }

    /**
     * A Docker ulimit: {@code name} as in {@code docker run --ulimit} ("nofile", "nproc" ...),
     * -1 meaning unlimited.
     */
    public record Ulimit(String name, long soft, long hard) {
        public Ulimit {
            Objects.requireNonNull(name, "name");
        }
    }

    /** An OCI mount, exactly as it goes into config.json ({@code options} never null). */
    public record OciMount(String destination, String type, String source, List<String> options) {
        public OciMount {
            Objects.requireNonNull(destination, "destination");
            options = List.copyOf(options == null ? List.of() : options);
        }

        /** A bind mount of a host file or directory, read-only or not (how /etc/hosts is given). */
        public static OciMount bind(Path source, String destination, boolean readOnly) {
            return new OciMount(destination, "bind", source.toString(),
                    List.of("rbind", readOnly ? "ro" : "rw", "rprivate"));
        }
    }

    /** Fluent construction of a {@link RuntimeSpec}; unset fields take Docker's defaults. */
    public static final class Builder {
        private final String id;
        private final Path rootfs;
        private List<String> args = List.of();
        private List<String> env = List.of();
        private String cwd = "";
        private String user = "";
        private String hostname = "";
        private String domainname = "";
        private boolean tty;
        private boolean openStdin;
        private Resources resources = Resources.NONE;
        private boolean privileged;
        private List<String> capAdd = List.of();
        private List<String> capDrop = List.of();
        private boolean readonlyRootfs;
        private boolean init;
        private final List<Ulimit> ulimits = new ArrayList<>();
        private final List<OciMount> mounts = new ArrayList<>();
        private String netnsPath;
        private String cgroupsPath;
        private final Map<String, String> sysctls = new LinkedHashMap<>();
        private List<String> groupAdd = List.of();
        private boolean seccompUnconfined;
        private HostSettings host = HostSettings.DEFAULT;

        private Builder(String id, Path rootfs) {
            this.id = id;
            this.rootfs = rootfs;
        }

        public Builder args(List<String> v) { args = v; return this; }
        public Builder args(String... v) { args = List.of(v); return this; }
        public Builder env(List<String> v) { env = v; return this; }
        public Builder cwd(String v) { cwd = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder domainname(String v) { domainname = v; return this; }
        public Builder tty(boolean v) { tty = v; return this; }
        public Builder openStdin(boolean v) { openStdin = v; return this; }
        public Builder resources(Resources v) { resources = v; return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder capAdd(List<String> v) { capAdd = v; return this; }
        public Builder capDrop(List<String> v) { capDrop = v; return this; }
        public Builder readonlyRootfs(boolean v) { readonlyRootfs = v; return this; }
        public Builder init(boolean v) { init = v; return this; }
        public Builder ulimit(Ulimit v) { ulimits.add(v); return this; }
        public Builder mount(OciMount v) { mounts.add(v); return this; }
        public Builder netnsPath(String v) { netnsPath = v; return this; }
        public Builder cgroupsPath(String v) { cgroupsPath = v; return this; }
        public Builder sysctl(String key, String value) { sysctls.put(key, value); return this; }
        public Builder groupAdd(List<String> v) { groupAdd = v; return this; }
        public Builder seccompUnconfined(boolean v) { seccompUnconfined = v; return this; }
        public Builder host(HostSettings v) { host = v; return this; }

        public RuntimeSpec build() {
            return new RuntimeSpec(id, rootfs, args, env, cwd, user, hostname, domainname, tty,
                    openStdin, resources, privileged, capAdd, capDrop, readonlyRootfs, init, ulimits,
                    mounts, netnsPath, cgroupsPath, sysctls, groupAdd, seccompUnconfined, host);
        }
    }
}
