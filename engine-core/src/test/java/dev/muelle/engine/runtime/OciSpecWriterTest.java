package dev.muelle.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.runtime.RuntimeSpec.OciMount;
import dev.muelle.engine.runtime.RuntimeSpec.Resources;
import dev.muelle.engine.runtime.RuntimeSpec.Ulimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciSpecWriterTest {

    @TempDir
    Path dir;

    private Path rootfs;

    /** A hybrid host like the build machines: nofile hard limit 20000, swap accounting on. */
    private static HostFacts host(CgroupMode mode) {
        return new HostFacts(mode, HostLimits.parse(HostLimitsTest.LIMITS), "6.1.0-18-amd64", 40, -1L, true,
                Path.of("/usr/bin/tini-static"), "amd64");
    }

    private final OciSpecWriter hybrid = new OciSpecWriter(host(CgroupMode.HYBRID), SeccompProfile.dockerDefault());

    @BeforeEach
    void rootfs() throws Exception {
        rootfs = Files.createDirectories(dir.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
        Files.writeString(rootfs.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
        rootfs = rootfs.getParent();
    }

    private RuntimeSpec.Builder spec() {
        return RuntimeSpec.builder("0123456789abcdef0123", rootfs).args("sh");
    }

    @Test
    void writesAConfigRuncCanRead() throws Exception {
        Path file = hybrid.write(spec().build(), dir.resolve("bundle"));
        JsonNode config = new ObjectMapper().readTree(file.toFile());
        assertThat(config.get("ociVersion").asText()).isEqualTo("1.0.2");
        assertThat(config.at("/root/path").asText()).isEqualTo(rootfs.toAbsolutePath().toString());
        assertThat(config.at("/process/cwd").asText()).isEqualTo("/");
        assertThat(config.at("/process/noNewPrivileges").asBoolean()).isFalse();
        assertThat(config.at("/process/oomScoreAdj").asInt()).isZero();
        assertThat(Files.list(dir.resolve("bundle"))).containsExactly(file);
    }

    /** config.json holds the bytes the mapper's default pretty printer wrote. */
    @Test
    void writesTheSameBytesAsTheMappersPrettyPrinter() throws Exception {
        RuntimeSpec s = spec().tty(true).hostname("web").env(List.of("FOO=bar", "Q=\"quoted\" é")).build();
        Path file = hybrid.write(s, dir.resolve("bundle"));
        byte[] old = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(hybrid.toConfig(s));
        assertThat(Files.readAllBytes(file)).isEqualTo(old);
    }

    @Test
    void environmentHasDockersDefaultsThatTheImageCanOverride() {
        ObjectNode config = hybrid.toConfig(spec().tty(true).hostname("web").env(List.of("FOO=bar", "PATH=/app/bin")).build());
        assertThat(texts(config.at("/process/env"))).containsExactly("PATH=/app/bin", "HOSTNAME=web", "TERM=xterm", "FOO=bar");
        assertThat(texts(hybrid.toConfig(spec().build()).at("/process/env")))
                .containsExactly("PATH=" + OciSpecWriter.DEFAULT_PATH, "HOSTNAME=0123456789ab");
        assertThat(hybrid.toConfig(spec().build()).get("hostname").asText()).isEqualTo("0123456789ab");
    }

    @Test
    void nofileIsDockersDefaultClampedAndUserUlimitsAreClampedToo() {
        ObjectNode config = hybrid.toConfig(spec().ulimit(new Ulimit("nproc", 1_000_000, 1_000_000)).ulimit(new Ulimit("core", -1, -1)).build());
        JsonNode rlimits = config.at("/process/rlimits");
        assertThat(rlimits).hasSize(3);
        assertThat(rlimits.get(0).toString()).isEqualTo("{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":20000}");
        assertThat(rlimits.get(1).toString()).isEqualTo("{\"type\":\"RLIMIT_NPROC\",\"hard\":96365,\"soft\":96365}");
        assertThat(rlimits.get(2).get("hard").asText()).isEqualTo("18446744073709551615");
    }

    @Test
    void userSpecIsResolvedInTheRootfs() {
        JsonNode user = hybrid.toConfig(spec().user("nobody").groupAdd(List.of("0")).build()).at("/process/user");
        assertThat(user.toString()).isEqualTo("{\"uid\":65534,\"gid\":65534,\"additionalGids\":[65534,0]}");
        assertThatThrownBy(() -> hybrid.toConfig(spec().user("ghost").build()))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("unable to find user ghost: no matching entries in passwd file");
    }

    @Test
    void capabilitiesGoToBoundingEffectiveAndPermitted() {
        JsonNode caps = hybrid.toConfig(spec().capAdd(List.of("NET_ADMIN")).capDrop(List.of("CHOWN")).build()).at("/process/capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            assertThat(texts(caps.get(set))).hasSize(14).contains("CAP_NET_ADMIN").doesNotContain("CAP_CHOWN");
        }
        assertThat(caps.has("inheritable")).isFalse();
    }

    @Test
    void nanoCpusBecomeQuotaOverAHundredMillisecondPeriod() {
        JsonNode cpu = hybrid.toConfig(spec().resources(new Resources(0, 0, 1_500_000_000L, 512, 0, 0, "0-1", null)).build())
                .at("/linux/resources/cpu");
        assertThat(cpu.toString()).isEqualTo("{\"shares\":512,\"quota\":150000,\"period\":100000,\"cpus\":\"0-1\"}");
        assertThat(OciSpecWriter.cpuLimit(new Resources(0, 0, 250_000_000L, 0, 0, 0, null, null)))
                .isEqualTo(new OciSpecWriter.CpuLimit(25_000, 100_000));
        assertThat(OciSpecWriter.cpuLimit(new Resources(0, 0, 0, 0, 50_000, 200_000, null, null)))
                .isEqualTo(new OciSpecWriter.CpuLimit(50_000, 200_000));
    }

    @Test
    void memorySwapFollowsDocker() {
        JsonNode doubled = hybrid.toConfig(spec().resources(new Resources(64L << 20, 0, 0, 0, 0, 0, null, null)).build());
        assertThat(doubled.at("/linux/resources/memory").toString()).isEqualTo("{\"limit\":67108864,\"swap\":134217728}");
        JsonNode unlimited = hybrid.toConfig(spec().resources(new Resources(64L << 20, -1, 0, 0, 0, 0, null, null)).build());
        assertThat(unlimited.at("/linux/resources/memory/swap").asLong()).isEqualTo(-1);
        assertThat(hybrid.toConfig(spec().build()).at("/linux/resources").has("memory")).isFalse();
        HostFacts noSwapAccounting = new HostFacts(CgroupMode.LEGACY, HostLimits.parse(""), "6.1", 40, -1L, false, null, "amd64");
        JsonNode noSwap = new OciSpecWriter(noSwapAccounting, SeccompProfile.dockerDefault())
                .toConfig(spec().resources(new Resources(64L << 20, 0, 0, 0, 0, 0, null, null)).build());
        assertThat(noSwap.at("/linux/resources/memory").toString()).isEqualTo("{\"limit\":67108864}");
    }

    @Test
    void pidsLimitZeroOrLessMeansUnlimited() {
        assertThat(hybrid.toConfig(spec().resources(new Resources(0, 0, 0, 0, 0, 0, null, 100L)).build())
                .at("/linux/resources/pids/limit").asLong()).isEqualTo(100);
        assertThat(hybrid.toConfig(spec().resources(new Resources(0, 0, 0, 0, 0, 0, null, 0L)).build())
                .at("/linux/resources/pids/limit").asLong()).isEqualTo(-1);
    }

    @Test
    void namespacesDependOnNetworkModeAndCgroupVersion() {
        assertThat(namespaces(hybrid.toConfig(spec().build()))).containsExactly("mount", "network", "uts", "pid", "ipc");
        OciSpecWriter unified = new OciSpecWriter(host(CgroupMode.UNIFIED), SeccompProfile.dockerDefault());
        assertThat(namespaces(unified.toConfig(spec().build()))).containsExactly("mount", "network", "uts", "pid", "ipc", "cgroup");
        assertThat(namespaces(hybrid.toConfig(spec().netnsPath("host").build()))).containsExactly("mount", "uts", "pid", "ipc");
        JsonNode joined = hybrid.toConfig(spec().netnsPath("/run/netns/muelle-1").build()).at("/linux/namespaces/1");
        assertThat(joined.toString()).isEqualTo("{\"type\":\"network\",\"path\":\"/run/netns/muelle-1\"}");
    }

    @Test
    void dockerMountsComeFirstAndCallerMountsReplaceSameDestination() {
        OciMount hosts = OciMount.bind(Path.of("/var/lib/muelle/c/hosts"), "/etc/hosts", false);
        OciMount shm = new OciMount("/dev/shm", "bind", "/var/lib/muelle/c/shm", List.of("rbind", "rw"));
        ObjectNode config = hybrid.toConfig(spec().mount(hosts).mount(shm).build());
        List<String> destinations = StreamSupport.stream(config.get("mounts").spliterator(), false)
                .map(m -> m.get("destination").asText()).toList();
        assertThat(destinations).containsExactly("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/etc/hosts", "/dev/shm");
        assertThat(texts(config.at("/mounts/4/options"))).containsExactly("nosuid", "noexec", "nodev", "relatime", "ro");
        assertThat(texts(config.at("/mounts/6/options"))).containsExactly("rbind", "rw", "rprivate");
    }

    @Test
    void maskedAndReadonlyPathsAreDockers() {
        JsonNode linux = hybrid.toConfig(spec().build()).get("linux");
        assertThat(texts(linux.get("maskedPaths"))).hasSize(11).contains("/proc/kcore", "/sys/firmware", "/sys/devices/virtual/powercap");
        assertThat(texts(linux.get("readonlyPaths"))).containsExactly("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    }

    @Test
    void deviceRulesDenyByDefaultAndNeverDenyAfterAWildcard() {
        JsonNode rules = hybrid.toConfig(spec().build()).at("/linux/resources/devices");
        assertThat(rules.get(0).toString()).isEqualTo("{\"allow\":false,\"access\":\"rwm\"}");
        int firstWildcard = -1;
        for (int i = 0; i < rules.size(); i++) {
            if (!rules.get(i).has("major") && rules.get(i).has("type") && firstWildcard < 0) {
                firstWildcard = i;
            }
            if (firstWildcard >= 0) {
                assertThat(rules.get(i).get("allow").asBoolean()).as("rule %d after wildcard", i).isTrue();
            }
        }
        assertThat(rules.toString()).contains("{\"allow\":true,\"type\":\"c\",\"major\":136,\"access\":\"rwm\"}");
        assertThat(hybrid.toConfig(spec().build()).at("/linux/devices").findValuesAsText("path"))
                .containsExactly("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty");
    }

    @Test
    void seccompFollowsTheFinalCapabilitiesAndCanBeTurnedOff() {
        JsonNode withAdmin = hybrid.toConfig(spec().capAdd(List.of("SYS_ADMIN")).build()).at("/linux/seccomp");
        assertThat(withAdmin.toString()).contains("\"mount\"");
        assertThat(hybrid.toConfig(spec().build()).at("/linux/seccomp").toString()).doesNotContain("\"mount\"");
        assertThat(hybrid.toConfig(spec().seccompUnconfined(true).build()).at("/linux").has("seccomp")).isFalse();
    }

    @Test
    void privilegedGetsAllCapsDevicesAndWritableSysWithoutMasksOrSeccomp() {
        ObjectNode config = hybrid.toConfig(spec().privileged(true).build());
        assertThat(config.at("/process/capabilities/bounding")).hasSize(41);
        JsonNode linux = config.get("linux");
        assertThat(linux.has("seccomp") || linux.has("maskedPaths") || linux.has("readonlyPaths")).isFalse();
        assertThat(linux.at("/resources/devices").toString()).isEqualTo("[{\"allow\":true,\"access\":\"rwm\"}]");
        assertThat(linux.get("devices").toString()).contains("\"path\":\"/dev/null\"");
        assertThat(texts(config.at("/mounts/3/options"))).contains("rw").doesNotContain("ro");
    }

    @Test
    void initIsBindMountedAndPrependedToArgs() {
        ObjectNode config = hybrid.toConfig(spec().args("nginx", "-g", "daemon off;").init(true).build());
        assertThat(texts(config.at("/process/args"))).containsExactly("/sbin/docker-init", "--", "nginx", "-g", "daemon off;");
        JsonNode last = config.get("mounts").get(config.get("mounts").size() - 1);
        assertThat(last.toString()).isEqualTo(
                "{\"destination\":\"/sbin/docker-init\",\"type\":\"bind\",\"source\":\"/usr/bin/tini-static\",\"options\":[\"bind\",\"ro\"]}");
    }

    @Test
    void sysctlsDomainnameReadonlyRootAndCgroupsPath() {
        ObjectNode config = hybrid.toConfig(spec().sysctl("net.ipv4.ip_forward", "1").domainname("example.org")
                .readonlyRootfs(true).cgroupsPath("/muelle/abc").build());
        assertThat(config.at("/linux/sysctl").toString()).isEqualTo("{\"net.ipv4.ip_forward\":\"1\","
                + "\"net.ipv4.ping_group_range\":\"0 2147483647\",\"net.ipv4.ip_unprivileged_port_start\":\"0\","
                + "\"kernel.domainname\":\"example.org\"}");
        assertThat(hybrid.toConfig(spec().netnsPath("host").build()).at("/linux/sysctl").isEmpty()).isTrue();
        assertThat(hybrid.toConfig(spec().sysctl("net.ipv4.ip_unprivileged_port_start", "1024").build())
                .at("/linux/sysctl/net.ipv4.ip_unprivileged_port_start").asText()).isEqualTo("1024");
        assertThat(config.at("/root/readonly").asBoolean()).isTrue();
        assertThat(config.at("/linux/cgroupsPath").asText()).isEqualTo("/muelle/abc");
    }

    @Test
    void hostSettingsShapeNamespacesShmDevicesAndOomScore() {
        RuntimeSpec.HostSettings shared = new RuntimeSpec.HostSettings(RuntimeSpec.HOST_NAMESPACE, "/proc/42/ns/ipc",
                "/data/containers/x/mounts/shm", 0, "private",
                List.of(new RuntimeSpec.Device("/dev/null", "/dev/mynull", "r")), List.of("c 10:200 rwm", "b *:* m"), 300);
        ObjectNode config = hybrid.toConfig(spec().host(shared).build());
        assertThat(namespaces(config)).containsExactly("mount", "network", "uts", "ipc", "cgroup");
        assertThat(config.at("/linux/namespaces/3/path").asText()).isEqualTo("/proc/42/ns/ipc");
        assertThat(config.at("/process/oomScoreAdj").asInt()).isEqualTo(300);
        JsonNode shm = StreamSupport.stream(config.at("/mounts").spliterator(), false)
                .filter(m -> m.get("destination").asText().equals("/dev/shm")).findFirst().orElseThrow();
        assertThat(shm.toString()).isEqualTo("{\"destination\":\"/dev/shm\",\"type\":\"bind\","
                + "\"source\":\"/data/containers/x/mounts/shm\",\"options\":[\"rbind\",\"rprivate\"]}");
        assertThat(config.at("/linux/devices").findValuesAsText("path")).contains("/dev/mynull");
        JsonNode rules = config.at("/linux/resources/devices");
        assertThat(rules.get(rules.size() - 3).toString())
                .isEqualTo("{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"r\"}");
        assertThat(rules.get(rules.size() - 2).toString())
                .isEqualTo("{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":200,\"access\":\"rwm\"}");
        assertThat(rules.get(rules.size() - 1).toString()).isEqualTo("{\"allow\":true,\"type\":\"b\",\"access\":\"m\"}");

        RuntimeSpec.HostSettings small = new RuntimeSpec.HostSettings(null, null, "tmpfs", 8L << 20, "host",
                List.of(), List.of(), 0);
        ObjectNode own = hybrid.toConfig(spec().host(small).build());
        assertThat(own.at("/mounts").toString()).contains("\"size=8192k\"");
        assertThat(namespaces(own)).containsExactly("mount", "network", "uts", "pid", "ipc");
        RuntimeSpec.HostSettings none = new RuntimeSpec.HostSettings(null, null, "none", 0, "", List.of(), List.of(), 0);
        assertThat(hybrid.toConfig(spec().host(none).build()).at("/mounts").findValuesAsText("destination"))
                .doesNotContain("/dev/shm");
    }

    @Test
    void aMissingDeviceOrAMalformedRuleIsAClearError() {
        RuntimeSpec.HostSettings missing = new RuntimeSpec.HostSettings(null, null, null, 0, "",
                List.of(new RuntimeSpec.Device("/dev/nosuch", "/dev/nosuch", "rwm")), List.of(), 0);
        assertThatThrownBy(() -> hybrid.toConfig(spec().host(missing).build()))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("error gathering device information while adding custom device \"/dev/nosuch\": "
                        + "no such file or directory");
        assertThatThrownBy(() -> DeviceCgroupRule.parse("c 1:3 rwx"))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("invalid device cgroup format 'c 1:3 rwx'");
    }

    private static List<String> namespaces(JsonNode config) {
        return config.at("/linux/namespaces").findValuesAsText("type");
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void updateFlagsMatchTheLimitsWrittenAtCreate() {
        RuntimeSpec.Resources r = new RuntimeSpec.Resources(64L << 20, 0, 500_000_000L, 512, 0, 0, "0", 0L);
        assertThat(OciSpecWriter.updateArgs(r, true)).containsExactly("--memory", "67108864", "--memory-swap", "134217728",
                "--cpu-period", "100000", "--cpu-quota", "50000", "--cpu-share", "512", "--cpuset-cpus", "0",
                "--pids-limit", "-1");
        assertThat(OciSpecWriter.updateArgs(new RuntimeSpec.Resources(64L << 20, -1, 0, 0, 0, 0, null, null), false))
                .containsExactly("--memory", "67108864");
    }
}
