package dev.muelle.engine.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker update}: resource limits and the restart policy changed on a running container
 * (visible in its cgroup from inside), kept across restarts, applied at the next start of a stopped
 * one, and refused with dockerd's wording when they conflict or the kernel says no.
 */
@EngineTest
class UpdateIT {

  /** The container's own limits as its processes see them, on cgroup v1 or v2. */
  private static final String LIMITS = String.join("\n",
      "if [ -d /sys/fs/cgroup/memory ]; then",
      "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"
          + " /sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/pids/pids.max"
          + " /sys/fs/cgroup/cpuset/cpuset.cpus",
      "else m=$(cat /sys/fs/cgroup/memory.max); s=$(cat /sys/fs/cgroup/memory.swap.max);"
          + " echo $m; echo $((m + s)); cat /sys/fs/cgroup/cpu.weight; cut -d' ' -f1 /sys/fs/cgroup/cpu.max;"
          + " cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpuset.cpus; fi");

  private final Engine engine;
  private final DockerCli docker;
  private final EngineHttp http;

  UpdateIT(Engine engine, DockerCli docker, EngineHttp http) {
    this.engine = engine;
    this.docker = docker;
    this.http = http;
  }

  private String inspect(String format, String name) {
    return docker.inspect(format, name);
  }

  private static boolean cgroupV2() {
    return !java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/fs/cgroup/memory"));
  }

  @Test
  void aMemoryLimitGetsTwiceAsMuchMemoryPlusSwapByDefault() {
    docker.run("create", "--name", "swapdefault", "-m", "64m", "busybox").assertSuccess();
    assertThat(inspect("{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}", "swapdefault"))
        .isEqualTo("67108864 134217728");
    docker.run("rm", "swapdefault").assertSuccess();
  }

  @Test
  void limitsChangeOnARunningContainerAndStay() {
    docker.run("run", "-d", "--name", "tuned", "-m", "64m", "busybox", "sleep", "300").assertSuccess();

    docker.run("update", "-m", "128m", "--memory-swap", "256m", "--cpus", "0.5", "--cpu-shares", "512",
        "--cpuset-cpus", "0", "--pids-limit", "50", "--restart", "on-failure:3", "tuned").assertSuccess();

    String expected = "134217728 268435456 512 0 50 {\"MaximumRetryCount\":3,\"Name\":\"on-failure\"} 500000000";
    String format = "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.CpuShares}} {{.HostConfig.CpusetCpus}}"
        + " {{.HostConfig.PidsLimit}} {{json .HostConfig.RestartPolicy}} {{.HostConfig.NanoCpus}}";
    assertThat(inspect(format, "tuned")).isEqualTo(expected);
    String cgroup = cgroupV2() ? "134217728\n268435456\n" : "134217728\n268435456\n512\n50000\n50\n0";
    assertThat(docker.run("exec", "tuned", "sh", "-c", LIMITS).assertSuccess().out()).startsWith(cgroup);

    docker.run("restart", "-t", "1", "tuned").assertSuccess();
    assertThat(docker.run("exec", "tuned", "sh", "-c", LIMITS).assertSuccess().out()).startsWith(cgroup);
    engine.restart();
    assertThat(inspect(format, "tuned")).isEqualTo(expected);
    docker.run("rm", "-f", "tuned").assertSuccess();
  }

  @Test
  void anUpdatedRestartPolicyTakesEffect() {
    docker.run("run", "-d", "--name", "revived", "busybox", "sleep", "300").assertSuccess();
    docker.run("update", "--restart", "always", "revived").assertSuccess();

    ProcessHandle.of(Long.parseLong(inspect("{{.State.Pid}}", "revived"))).orElseThrow().destroyForcibly();

    assertThat(docker.awaitInspect("{{.RestartCount}} {{.State.Status}}", "revived", "1 running", Duration.ofSeconds(20)))
        .isEqualTo("1 running");
    docker.run("rm", "-f", "revived").assertSuccess();
  }

  @Test
  void aStoppedContainerGetsItsNewLimitsWhenItStarts() {
    docker.run("create", "--name", "later", "busybox", "sleep", "300").assertSuccess();
    docker.run("update", "-m", "32m", "--memory-swap", "64m", "later").assertSuccess();
    docker.run("start", "later").assertSuccess();

    assertThat(docker.run("exec", "later", "sh", "-c", LIMITS).assertSuccess().out()).startsWith("33554432\n67108864\n");
    docker.run("rm", "-f", "later").assertSuccess();
  }

  @Test
  void conflictingOrImpossibleUpdatesAreRefusedAndChangeNothing() {
    docker.run("run", "-d", "--name", "strict", "-m", "64m", "--cpus", "0.5", "busybox", "sleep", "300").assertSuccess();
    docker.run("run", "-d", "--name", "ephemeral", "--rm", "busybox", "sleep", "300").assertSuccess();
    String id = inspect("{{.Id}}", "strict");

    assertThat(docker.run("update", "-m", "300m", "strict").stderr()).contains("Cannot update container " + id
        + ": Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
    assertThat(docker.run("update", "--cpu-quota", "50000", "strict").stderr()).contains("Cannot update container " + id
        + ": Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");
    assertThat(docker.run("update", "-m", "1m", "strict").stderr()).contains("Minimum memory limit allowed is 6MB");
    assertThat(docker.run("update", "-m", "100m", "--memory-swap", "50m", "strict").stderr())
        .contains("Minimum memoryswap limit should be larger than memory limit, see usage");
    assertThat(docker.run("update", "--restart", "always", "ephemeral").stderr())
        .contains("Restart policy cannot be updated because AutoRemove is enabled for the container");
    assertThat(docker.run("update", "-m", "10m", "nosuch").stderr()).contains("No such container: nosuch");
    assertThat(http.postJson("/containers/strict/update", "{\"Memory\": 1000}").status()).isEqualTo(400);
    assertThat(http.postJson("/containers/strict/update", "{\"Memory\": 314572800}").status()).isEqualTo(409);

    // Below what the container already uses: the kernel refuses, the old limit stays.
    docker.run("exec", "strict", "sh", "-c", "head -c 30000000 /dev/zero > /dev/shm/x").assertSuccess();
    CliResult tooSmall = docker.run("update", "-m", "10m", "--memory-swap", "20m", "strict");
    assertThat(tooSmall.exitCode()).isNotZero();
    assertThat(tooSmall.stderr()).contains("Cannot update container " + id).contains("unable to set memory limit to 10485760");
    assertThat(inspect("{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}}", "strict"))
        .isEqualTo("67108864 134217728 500000000");
    docker.run(Duration.ofSeconds(30), "rm", "-f", "strict", "ephemeral").assertSuccess();
  }
}
