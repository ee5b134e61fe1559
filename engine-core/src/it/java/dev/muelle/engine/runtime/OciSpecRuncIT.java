package dev.muelle.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.container.ContainerStatsMapper;
import dev.muelle.engine.runtime.RuntimeSpec.Resources;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs real runc with a config.json from {@link OciSpecWriter} on a busybox rootfs, and checks
 * from inside the container that runc accepted Docker's defaults on this host (seccomp, masked
 * paths, clamped rlimits, cgroup limits, user resolution, --init).
 */
class OciSpecRuncIT {

    private static final Path RUNC = Path.of("/usr/sbin/runc");
    private static final String CGROUP_PARENT = "muelle-it";

    private Path work;
    private final String id = "ms" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void createRootfs() throws Exception {
        // Short paths under /tmp: runc's state and console sockets have length limits.
        work = Files.createTempDirectory(Path.of("/tmp"), "msrt");
        Path rootfs = work.resolve("b/rootfs");
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String applet : run(List.of("/bin/busybox", "--list")).split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet.trim()), Path.of("busybox"));
            }
        }
        for (String dir : List.of("etc", "proc", "sys", "dev", "tmp", "root", "sbin", "home")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        Files.writeString(rootfs.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"),
                "root:x:0:\nstaff:x:50:nobody\nnogroup:x:65534:\n");
    }

    @AfterEach
    void cleanUp() throws Exception {
        new ProcessBuilder(RUNC.toString(), "--root", work.resolve("r").toString(), "delete", "--force", id)
                .redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        for (String controller : List.of("memory", "cpu", "cpuacct", "pids", "blkio", "devices", "freezer", "cpuset", "systemd", "unified")) {
            Files.deleteIfExists(Path.of("/sys/fs/cgroup", controller, CGROUP_PARENT));
        }
    }

    @Test
    void runcRunsTheContainerWithDockerDefaultsAndLimits() throws Exception {
        HostFacts host = HostFacts.detect();
        OciSpecWriter writer = new OciSpecWriter(host, SeccompProfile.dockerDefault());
        String script = String.join("; ", List.of(
                "echo mem=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)",
                "echo quota=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max)",
                "echo pids=$(cat /sys/fs/cgroup/pids/pids.max)",
                "echo uid=$(id -u) gids=$(id -G)",
                "echo nofile=$(ulimit -n)",
                "echo seccomp=$(grep '^Seccomp:' /proc/self/status | tr -d ' \\t' | cut -d: -f2)",
                "echo timerlist=$(wc -c < /proc/timer_list) firmware=$(ls /sys/firmware | wc -l)",
                "echo capbnd=$(grep '^CapBnd:' /proc/self/status | tr -d ' \\t' | cut -d: -f2)",
                "echo pid1=$(cat /proc/1/comm)",
                "echo host=$(hostname)",
                "echo portstart=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)",
                "test -c /dev/loop-control && echo hostdev=visible || echo hostdev=hidden",
                "(echo x > /proc/sys/kernel/domainname) 2>/dev/null && echo procsys=writable || echo procsys=readonly"));
        RuntimeSpec spec = RuntimeSpec.builder(id, work.resolve("b/rootfs"))
                .args("sh", "-c", script)
                .user("nobody")
                .hostname("box")
                .init(host.initBinary() != null)
                .cgroupsPath("/" + CGROUP_PARENT + "/" + id)
                .resources(new Resources(64L << 20, 0, 1_000_000_000L, 0, 0, 0, null, 100L))
                .build();
        writer.write(spec, work.resolve("b"));

        String out = run(List.of(RUNC.toString(), "--root", work.resolve("r").toString(), "run",
                "--bundle", work.resolve("b").toString(), id));

        assertThat(out).contains("mem=" + (64L << 20));
        assertThat(out).containsAnyOf("quota=100000", "quota=100000 100000");
        assertThat(out).contains("pids=100");
        assertThat(out).contains("uid=65534 gids=65534 50");
        assertThat(out).contains("nofile=" + Math.min(1048576, host.limits().hard("nofile") < 0 ? 1048576 : host.limits().hard("nofile")));
        assertThat(out).contains("seccomp=2");
        assertThat(out).contains("timerlist=0 firmware=0"); // masked: /dev/null and an empty tmpfs
        // Docker's 14 default capabilities as a bounding mask.
        assertThat(out).contains("capbnd=00000000a80425fb");
        assertThat(out).contains("host=box");
        assertThat(out).contains("portstart=0");
        assertThat(out).contains("hostdev=hidden");
        assertThat(out).contains("procsys=readonly");
        if (host.initBinary() != null) {
            assertThat(out).contains("pid1=docker-init");
        }
    }

    @Test
    void runcRunsAPrivilegedContainerWithHostDevicesAndWritableProcSys() throws Exception {
        HostFacts host = HostFacts.detect();
        OciSpecWriter writer = new OciSpecWriter(host, SeccompProfile.dockerDefault());
        RuntimeSpec spec = RuntimeSpec.builder(id, work.resolve("b/rootfs"))
                .args("sh", "-c", "grep '^Seccomp:' /proc/self/status; echo x > /proc/sys/kernel/domainname && echo procsys=writable; test -c /dev/loop-control && echo hostdev=visible")
                .privileged(true)
                .cgroupsPath("/" + CGROUP_PARENT + "/" + id)
                .build();
        writer.write(spec, work.resolve("b"));

        String out = run(List.of(RUNC.toString(), "--root", work.resolve("r").toString(), "run",
                "--bundle", work.resolve("b").toString(), id));

        assertThat(out).containsPattern("Seccomp:\\s+0");
        assertThat(out).contains("procsys=writable");
        assertThat(out).contains("hostdev=visible");
    }

    @Test
    void statsOfARunningContainerGiveDockerCliFigures() throws Exception {
        HostFacts host = HostFacts.detect();
        String cgroupsPath = "/" + CGROUP_PARENT + "/" + id;
        RuntimeSpec spec = RuntimeSpec.builder(id, work.resolve("b/rootfs"))
                .args("sh", "-c", "while :; do :; done")
                .cgroupsPath(cgroupsPath)
                .resources(new Resources(64L << 20, 0, 1_000_000_000L, 0, 0, 0, null, 100L))
                .build();
        new OciSpecWriter(host, SeccompProfile.dockerDefault()).write(spec, work.resolve("b"));
        Process runc = new ProcessBuilder(RUNC.toString(), "--root", work.resolve("r").toString(), "run", "-d",
                "--bundle", work.resolve("b").toString(), id)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(runc.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(runc.exitValue()).isZero();

        CgroupStatsReader reader = CgroupStatsReader.forThisHost();
        Thread.sleep(300);
        CgroupStats before = reader.read(cgroupsPath);
        Thread.sleep(1500);
        CgroupStats after = reader.read(cgroupsPath);
        run(List.of(RUNC.toString(), "--root", work.resolve("r").toString(), "kill", id, "KILL"));

        ObjectNode stats = ContainerStatsMapper.toDockerStats(id, "/" + id, after, before, null);
        double cpuDelta = stats.at("/cpu_stats/cpu_usage/total_usage").asDouble() - stats.at("/precpu_stats/cpu_usage/total_usage").asDouble();
        double systemDelta = stats.at("/cpu_stats/system_cpu_usage").asDouble() - stats.at("/precpu_stats/system_cpu_usage").asDouble();
        double cpuPercent = cpuDelta / systemDelta * stats.at("/cpu_stats/online_cpus").asInt() * 100;
        // A busy loop capped at one CPU by NanoCpus=1e9: docker stats shows about 100 %.
        assertThat(cpuPercent).isBetween(20.0, 115.0);
        assertThat(stats.at("/memory_stats/limit").asLong()).isEqualTo(64L << 20);
        assertThat(stats.at("/memory_stats/usage").asLong()).isPositive();
        assertThat(stats.at("/pids_stats/current").asInt()).isEqualTo(1);
        assertThat(stats.at("/pids_stats/limit").asInt()).isEqualTo(100);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit status of %s, output:%n%s", command, text).isZero();
        return text;
    }
}
