package dev.muelle.engine.runtime;

import dev.muelle.engine.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.runtime.RuntimeSpec.OciMount;
import dev.muelle.engine.runtime.RuntimeSpec.Resources;
import dev.muelle.engine.runtime.RuntimeSpec.Ulimit;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes a container's OCI runtime bundle {@code config.json} with the defaults dockerd 27 gives
 * a container, so software behaves as under Docker: the 14 default capabilities, Docker's mounts
 * of /proc, /dev, /sys and /sys/fs/cgroup, its masked and read-only paths, device rules, default
 * seccomp profile, and resource limits in Docker's units.
 *
 * <p>Host-dependent choices come from {@link HostFacts}: rlimits are clamped to the engine's own
 * hard limits (runc cannot raise them without CAP_SYS_RESOURCE), a private cgroup namespace is
 * used only on cgroup v2 (as Docker does), swap limits only where the kernel accounts swap.
 *
 * <p>Order inside the document follows the OCI spec's; mounts keep Docker's default order with
 * the caller's mounts after them (a caller's mount on a default destination replaces it).
 */
public final class OciSpecWriter {

    public static final String OCI_VERSION = "1.0.2";
    public static final String DEFAULT_PATH =
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Where Docker mounts its init inside the container. */
    public static final String CONTAINER_INIT_PATH = "/sbin/docker-init";

    /** Docker's RLIMIT_NOFILE (what dockerd's systemd unit gives containers), before clamping. */
    private static final Ulimit DEFAULT_NOFILE = new Ulimit("nofile", 1048576, 1048576);
    private static final long CFS_PERIOD_US = 100_000;
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** moby v27 oci/defaults.go. */
    static final List<String> MASKED_PATHS = List.of(
            "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    /** A character device node under /dev. */
    private record DeviceNode(String name, int major, int minor) {
    }

    /** The device nodes every container gets (the OCI spec's "default devices"). */
    private static final List<DeviceNode> DEFAULT_DEVICE_NODES = List.of(
            new DeviceNode("null", 1, 3), new DeviceNode("zero", 1, 5), new DeviceNode("full", 1, 7),
            new DeviceNode("random", 1, 8), new DeviceNode("urandom", 1, 9), new DeviceNode("tty", 5, 0));

    private final HostFacts host;
    private final SeccompProfile seccomp;

    /** A writer for the host the engine runs on, with Docker's default seccomp profile. */
    public OciSpecWriter() {
        this(HostFacts.detect(), SeccompProfile.dockerDefault());
    }

    public OciSpecWriter(HostFacts host, SeccompProfile seccomp) {
        this.host = host;
        this.seccomp = seccomp;
    }

    /**
     * Writes {@code bundleDir/config.json} (replacing any earlier one atomically) and returns its
     * path. The bundle directory is created if needed; the rootfs must already exist.
     *
     * @throws EngineException.InvalidParameter for a user, group, capability or ulimit Docker
     *     would reject, with Docker's wording
     */
    public Path write(RuntimeSpec spec, Path bundleDir) {
        ObjectNode config = toConfig(spec);
        Path target = bundleDir.resolve("config.json");
        try {
            Files.createDirectories(bundleDir);
            Path tmp = bundleDir.resolve("config.json.tmp");
            Files.write(tmp, Json.pretty(config));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot write OCI config " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** The config.json document for {@code spec}, without writing it. */
    public ObjectNode toConfig(RuntimeSpec spec) {
        List<String> caps = Capabilities.tweak(spec.capAdd(), spec.capDrop(), spec.privileged(), host.capLastCap(),
                host.capBounding());
        UserResolver.ExecUser user = new UserResolver(spec.rootfs()).resolve(spec.user(), spec.groupAdd());

        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("ociVersion", OCI_VERSION);
        config.set("process", process(spec, user, caps));
        ObjectNode root = config.putObject("root");
        root.put("path", spec.rootfs().toAbsolutePath().toString());
        root.put("readonly", spec.readonlyRootfs());
        config.put("hostname", hostname(spec));
        config.set("mounts", mounts(spec));
        config.set("linux", linux(spec, caps));
        return config;
    }

    private ObjectNode process(RuntimeSpec spec, UserResolver.ExecUser user, List<String> caps) {
        ObjectNode process = JsonNodeFactory.instance.objectNode();
        process.put("terminal", spec.tty());
        ObjectNode userNode = process.putObject("user");
        userNode.put("uid", user.uid());
        userNode.put("gid", user.gid());
        ArrayNode gids = userNode.putArray("additionalGids");
        user.additionalGids().forEach(gids::add);

        List<String> args = new ArrayList<>(spec.args());
        if (spec.init()) {
            args.addAll(0, List.of(CONTAINER_INIT_PATH, "--"));
        }
        strings(process.putArray("args"), args);
        strings(process.putArray("env"), environment(spec));
        process.put("cwd", spec.cwd().isEmpty() ? "/" : spec.cwd());

        // Docker (since 23.0) leaves the inheritable and ambient sets empty.
        ObjectNode capabilities = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            strings(capabilities.putArray(set), caps);
        }
        ArrayNode rlimits = process.putArray("rlimits");
        for (Ulimit ulimit : ulimits(spec)) {
            ObjectNode rlimit = rlimits.addObject();
            rlimit.put("type", "RLIMIT_" + ulimit.name().toUpperCase(Locale.ROOT));
            rlimit.put("hard", rlimitValue(ulimit.hard()));
            rlimit.put("soft", rlimitValue(ulimit.soft()));
        }
        process.put("noNewPrivileges", false);
        process.put("oomScoreAdj", spec.host().oomScoreAdj());
        return process;
    }

    /** Docker's daemon environment (PATH, HOSTNAME, TERM) overridden or extended by the container's. */
    private static List<String> environment(RuntimeSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "PATH=" + DEFAULT_PATH);
        env.put("HOSTNAME", "HOSTNAME=" + hostname(spec));
        if (spec.tty()) {
            env.put("TERM", "TERM=xterm");
        }
        for (String entry : spec.env()) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                // "KEY" without a value unsets a default, as Docker's ReplaceOrAppendEnvValues does.
                env.remove(entry);
            } else {
                env.put(entry.substring(0, eq), entry);
            }
        }
        return List.copyOf(env.values());
    }

    private static String hostname(RuntimeSpec spec) {
        if (!spec.hostname().isEmpty()) {
            return spec.hostname();
        }
        return spec.id().substring(0, Math.min(12, spec.id().length()));
    }

    /** Docker's default nofile merged with the caller's ulimits (by name), all clamped. */
    private List<Ulimit> ulimits(RuntimeSpec spec) {
        Map<String, Ulimit> byName = new LinkedHashMap<>();
        byName.put(DEFAULT_NOFILE.name(), DEFAULT_NOFILE);
        for (Ulimit ulimit : spec.ulimits()) {
            byName.put(ulimit.name(), ulimit);
        }
        return byName.values().stream().map(host.limits()::clamp).toList();
    }

    private static BigInteger rlimitValue(long value) {
        return value < 0 ? UINT64_MAX : BigInteger.valueOf(value);
    }

    private ArrayNode mounts(RuntimeSpec spec) {
        String sysMode = spec.privileged() ? "rw" : "ro";
        List<OciMount> defaults = new ArrayList<>(List.of(
                new OciMount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new OciMount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new OciMount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new OciMount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", sysMode)),
                new OciMount("/sys/fs/cgroup", "cgroup", "cgroup",
                        List.of("nosuid", "noexec", "nodev", "relatime", sysMode)),
                new OciMount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"))));
        RuntimeSpec.HostSettings hostSettings = spec.host();
        if (hostSettings.shm().equals(RuntimeSpec.HostSettings.SHM_TMPFS)) {
            defaults.add(new OciMount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777",
                    "size=" + hostSettings.shmSize() / 1024 + "k")));
        } else if (!hostSettings.shm().equals(RuntimeSpec.HostSettings.SHM_NONE)) {
            defaults.add(new OciMount("/dev/shm", "bind", hostSettings.shm(), List.of("rbind", "rprivate")));
        }
        if (spec.init()) {
            if (host.initBinary() == null) {
                throw new EngineException.SystemError(
                        "--init requested but no docker-init or tini-static binary is installed on the host");
            }
            defaults.add(new OciMount(CONTAINER_INIT_PATH, "bind", host.initBinary().toString(), List.of("bind", "ro")));
        }
        Set<String> callerDestinations = spec.mounts().stream().map(OciMount::destination).collect(Collectors.toSet());
        ArrayNode mounts = JsonNodeFactory.instance.arrayNode();
        defaults.stream().filter(m -> !callerDestinations.contains(m.destination())).forEach(m -> mount(mounts, m));
        spec.mounts().forEach(m -> mount(mounts, m));
        return mounts;
    }

    private static void mount(ArrayNode mounts, OciMount m) {
        ObjectNode node = mounts.addObject();
        node.put("destination", m.destination());
        node.put("type", m.type());
        node.put("source", m.source());
        strings(node.putArray("options"), m.options());
    }

    private ObjectNode linux(RuntimeSpec spec, List<String> caps) {
        ObjectNode linux = JsonNodeFactory.instance.objectNode();
        ObjectNode sysctl = linux.putObject("sysctl");
        sysctls(spec).forEach(sysctl::put);
        linux.set("resources", resources(spec));
        if (spec.cgroupsPath() != null) {
            linux.put("cgroupsPath", spec.cgroupsPath());
        }
        linux.set("namespaces", namespaces(spec));
        linux.set("devices", spec.privileged() ? HostDevices.all() : deviceNodes(spec));
        if (!spec.privileged() && !spec.seccompUnconfined()) {
            linux.set("seccomp", seccomp.toOci(caps, host.seccompArch(), host.kernelRelease()));
        }
        if (!spec.privileged()) {
            strings(linux.putArray("maskedPaths"), MASKED_PATHS);
            strings(linux.putArray("readonlyPaths"), READONLY_PATHS);
        }
        return linux;
    }

    /**
     * The caller's sysctls plus Docker's defaults for a container with its own network namespace
     * (unprivileged ping, and binding ports below 1024 without CAP_NET_BIND_SERVICE on kernels
     * that namespace it, 4.11+), which the caller's values override.
     */
    private Map<String, String> sysctls(RuntimeSpec spec) {
        Map<String, String> sysctls = new LinkedHashMap<>(spec.sysctls());
        if (!RuntimeSpec.HOST_NETWORK.equals(spec.netnsPath())) {
            sysctls.putIfAbsent("net.ipv4.ping_group_range", "0 2147483647");
            int[] kernel = SeccompProfile.kernelVersion(host.kernelRelease());
            if (kernel[0] > 4 || (kernel[0] == 4 && kernel[1] >= 11)) {
                sysctls.putIfAbsent("net.ipv4.ip_unprivileged_port_start", "0");
            }
        }
        if (!spec.domainname().isEmpty()) {
            // OCI 1.0.2 has no domainname field; runc sets it through the UTS sysctl.
            sysctls.putIfAbsent("kernel.domainname", spec.domainname());
        }
        return sysctls;
    }

    private ArrayNode namespaces(RuntimeSpec spec) {
        ArrayNode namespaces = JsonNodeFactory.instance.arrayNode();
        namespaces.addObject().put("type", "mount");
        if (spec.netnsPath() == null) {
            namespaces.addObject().put("type", "network");
        } else if (!spec.netnsPath().equals(RuntimeSpec.HOST_NETWORK)) {
            namespaces.addObject().put("type", "network").put("path", spec.netnsPath());
        }
        namespaces.addObject().put("type", "uts");
        namespace(namespaces, "pid", spec.host().pidNamespace());
        namespace(namespaces, "ipc", spec.host().ipcNamespace());
        // Docker's default cgroupns mode is "private" on cgroup v2 and "host" on v1 and hybrid.
        String cgroupns = spec.host().cgroupNamespace();
        if (cgroupns.equals("private") || cgroupns.isEmpty() && host.cgroupMode() == CgroupMode.UNIFIED) {
            namespaces.addObject().put("type", "cgroup");
        }
        return namespaces;
    }

    /** A new namespace (null), the host's (none listed), or joining the one at {@code path}. */
    private static void namespace(ArrayNode namespaces, String type, String path) {
        if (path == null) {
            namespaces.addObject().put("type", type);
        } else if (!path.equals(RuntimeSpec.HOST_NAMESPACE)) {
            namespaces.addObject().put("type", type).put("path", path);
        }
    }

    /** The default nodes plus each {@code --device}, read from the host as Docker does. */
    private static ArrayNode deviceNodes(RuntimeSpec spec) {
        ArrayNode devices = defaultDeviceNodes();
        for (RuntimeSpec.Device d : spec.host().devices()) {
            devices.add(hostDevice(d));
        }
        return devices;
    }

    private static ObjectNode hostDevice(RuntimeSpec.Device d) {
        ObjectNode node;
        try {
            node = HostDevices.describe(Path.of(d.pathOnHost()), d.pathInContainer());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new EngineException.InvalidParameter("error gathering device information while adding custom device \""
                    + d.pathOnHost() + "\": no such file or directory");
        } catch (IOException e) {
            throw new EngineException.InvalidParameter("error gathering device information while adding custom device \""
                    + d.pathOnHost() + "\": " + e.getMessage());
        }
        if (node == null) {
            throw new EngineException.InvalidParameter("error gathering device information while adding custom device \""
                    + d.pathOnHost() + "\": not a device node");
        }
        return node;
    }

    private ObjectNode resources(RuntimeSpec spec) {
        ObjectNode resources = JsonNodeFactory.instance.objectNode();
        resources.set("devices", spec.privileged() ? allowAllDevices() : deviceRules(spec));
        Resources r = spec.resources();
        if (r.memory() > 0) {
            ObjectNode memory = resources.putObject("memory");
            memory.put("limit", r.memory());
            if (host.swapLimitSupported()) {
                memory.put("swap", swapLimit(r));
            }
        }
        CpuLimit cpuLimit = cpuLimit(r);
        if (r.cpuShares() > 0 || cpuLimit.quota() > 0 || cpuLimit.period() > 0 || notBlank(r.cpusetCpus())) {
            ObjectNode cpu = resources.putObject("cpu");
            if (r.cpuShares() > 0) {
                cpu.put("shares", r.cpuShares());
            }
            if (cpuLimit.quota() > 0) {
                cpu.put("quota", cpuLimit.quota());
            }
            if (cpuLimit.period() > 0) {
                cpu.put("period", cpuLimit.period());
            }
            if (notBlank(r.cpusetCpus())) {
                cpu.put("cpus", r.cpusetCpus());
            }
        }
        if (r.pidsLimit() != null) {
            // Docker: zero or negative means unlimited.
            resources.putObject("pids").put("limit", r.pidsLimit() > 0 ? r.pidsLimit() : -1);
        }
        return resources;
    }

    /** The {@code runc update} flags for {@code r}: the same limits {@link #resources} writes at create. */
    static List<String> updateArgs(Resources r, boolean swapLimitSupported) {
        List<String> args = new ArrayList<>();
        if (r.memory() > 0) {
            args.addAll(List.of("--memory", Long.toString(r.memory())));
            if (swapLimitSupported) {
                args.addAll(List.of("--memory-swap", Long.toString(swapLimit(r))));
            }
        } else if (r.memorySwap() != 0 && swapLimitSupported) {
            args.addAll(List.of("--memory-swap", Long.toString(r.memorySwap())));
        }
        CpuLimit cpu = cpuLimit(r);
        if (cpu.period() > 0) {
            args.addAll(List.of("--cpu-period", Long.toString(cpu.period())));
        }
        if (cpu.quota() > 0) {
            args.addAll(List.of("--cpu-quota", Long.toString(cpu.quota())));
        }
        if (r.cpuShares() > 0) {
            args.addAll(List.of("--cpu-share", Long.toString(r.cpuShares())));
        }
        if (notBlank(r.cpusetCpus())) {
            args.addAll(List.of("--cpuset-cpus", r.cpusetCpus()));
        }
        if (r.pidsLimit() != null) {
            args.addAll(List.of("--pids-limit", Long.toString(r.pidsLimit() > 0 ? r.pidsLimit() : -1)));
        }
        return args;
    }

    /** Docker: MemorySwap 0 with a memory limit means twice the memory; -1 unlimited. */
    static long swapLimit(Resources r) {
        return r.memorySwap() == 0 ? 2 * r.memory() : r.memorySwap();
    }

    /** CFS quota and period in microseconds; NanoCpus wins over CpuQuota/CpuPeriod, as in Docker. */
    record CpuLimit(long quota, long period) {
    }

    static CpuLimit cpuLimit(Resources r) {
        if (r.nanoCpus() > 0) {
            return new CpuLimit(r.nanoCpus() * CFS_PERIOD_US / 1_000_000_000L, CFS_PERIOD_US);
        }
        return new CpuLimit(r.cpuQuota(), r.cpuPeriod());
    }

    /**
     * moby's default device cgroup rules followed by the ones runc always appends (mknod of any
     * node, /dev/full, /dev/ptmx, /dev/pts/*), written out so the file says what the container
     * gets. Order matters on cgroup v1: a deny after a wildcard allow cannot be expressed, so the
     * fuse deny comes before runc's wildcard mknod rules, as it does under Docker.
     */
    private static ArrayNode defaultDeviceRules() {
        ArrayNode rules = JsonNodeFactory.instance.arrayNode();
        rules.addObject().put("allow", false).put("access", "rwm");
        deviceRule(rules, true, "c", 1, 5, "rwm");   // zero
        deviceRule(rules, true, "c", 1, 3, "rwm");   // null
        deviceRule(rules, true, "c", 1, 9, "rwm");   // urandom
        deviceRule(rules, true, "c", 1, 8, "rwm");   // random
        deviceRule(rules, true, "c", 5, 0, "rwm");   // tty
        deviceRule(rules, true, "c", 5, 1, "rwm");   // console
        deviceRule(rules, false, "c", 10, 229, "rwm");  // fuse: denied by Docker
        deviceRule(rules, true, "c", null, null, "m");
        deviceRule(rules, true, "b", null, null, "m");
        deviceRule(rules, true, "c", 1, 7, "rwm");   // full
        deviceRule(rules, true, "c", 5, 2, "rwm");   // ptmx
        deviceRule(rules, true, "c", 136, null, "rwm"); // pts/*
        return rules;
    }

    /** Docker's defaults, then an allow rule per {@code --device}, then the {@code --device-cgroup-rule}s. */
    private static ArrayNode deviceRules(RuntimeSpec spec) {
        ArrayNode rules = defaultDeviceRules();
        for (RuntimeSpec.Device d : spec.host().devices()) {
            ObjectNode node = hostDevice(d);
            deviceRule(rules, true, node.get("type").asText(), node.get("major").asInt(), node.get("minor").asInt(),
                    d.permissions());
        }
        for (String rule : spec.host().deviceCgroupRules()) {
            DeviceCgroupRule r = DeviceCgroupRule.parse(rule);
            deviceRule(rules, true, r.type(), r.major(), r.minor(), r.access());
        }
        return rules;
    }

    private static ArrayNode allowAllDevices() {
        ArrayNode rules = JsonNodeFactory.instance.arrayNode();
        rules.addObject().put("allow", true).put("access", "rwm");
        return rules;
    }

    private static void deviceRule(ArrayNode rules, boolean allow, String type, Integer major, Integer minor, String access) {
        ObjectNode rule = rules.addObject();
        rule.put("allow", allow);
        rule.put("type", type);
        if (major != null) {
            rule.put("major", major);
        }
        if (minor != null) {
            rule.put("minor", minor);
        }
        rule.put("access", access);
    }

    private static ArrayNode defaultDeviceNodes() {
        ArrayNode devices = JsonNodeFactory.instance.arrayNode();
        for (DeviceNode d : DEFAULT_DEVICE_NODES) {
            devices.addObject().put("path", "/dev/" + d.name()).put("type", "c")
                    .put("major", d.major()).put("minor", d.minor())
                    .put("fileMode", 0666).put("uid", 0).put("gid", 0);
        }
        return devices;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
