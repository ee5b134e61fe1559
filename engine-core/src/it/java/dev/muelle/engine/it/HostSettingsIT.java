package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code docker run} settings that share with or reach into the host, as dockerd applies them:
 * --shm-size, --pid, --ipc, --cgroupns, --device, --device-cgroup-rule, --oom-score-adj, --cap-add,
 * --cap-drop and --privileged, and a --rm container whose start fails leaves nothing behind.
 */
@EngineTest
class HostSettingsIT {

  private final DockerCli docker;
  private final Engine engine;

  HostSettingsIT(DockerCli docker, Engine engine) {
    this.docker = docker;
    this.engine = engine;
  }

  @AfterEach
  void removeDonors() {
    docker.run("rm", "-f", "hs-donor", "hs-private");
  }

  private String run(String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "run";
    full[1] = "--rm";
    System.arraycopy(args, 0, full, 2, args.length);
    return docker.run(full).assertSuccess().out();
  }

  @Test
  void capabilitiesAreAddedAndDroppedAndPrivilegedGetsAllTheEngineHolds() throws Exception {
    String capEff = "grep CapEff /proc/self/status | cut -f2";
    // Docker's 14 defaults (a80425fb) plus CAP_NET_ADMIN (bit 12).
    assertThat(run("--cap-add", "NET_ADMIN", "busybox", "sh", "-c", capEff)).isEqualTo("00000000a80435fb");
    assertThat(run("--cap-drop", "ALL", "--cap-add", "chown", "busybox", "sh", "-c", capEff)).isEqualTo("0000000000000001");
    assertThat(run("--cap-drop", "NET_RAW", "busybox", "sh", "-c", capEff)).isEqualTo("00000000a80405fb");
    RegistryIT.assertFails(docker.run("run", "--rm", "--cap-add", "BOGUS", "busybox", "true"),
        "unknown capability: \"CAP_BOGUS\"");
    if (engine.kind() == Engine.Kind.MUELLE) {
      // Everything the engine (root here, same bounding set as this test) holds, even where root
      // lacks one (CAP_SYS_RESOURCE on the CI machines), where dockerd's privileged containers fail.
      String own = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow().substring(7).trim();
      assertThat(run("--privileged", "busybox", "sh", "-c", capEff)).isEqualTo(own);
      assertThat(run("--cap-add", "ALL", "busybox", "sh", "-c", capEff)).isEqualTo(own);
    }
  }

  @Test
  void shmSizeAndIpcModesShapeDevShm() {
    assertThat(run("--shm-size", "8m", "busybox", "sh", "-c", "df -k /dev/shm | tail -1")).contains(" 8192 ");
    assertThat(run("busybox", "sh", "-c", "df -k /dev/shm | tail -1")).contains(" 65536 ");
    assertThat(run("--ipc", "private", "busybox", "sh", "-c", "mount | grep /dev/shm"))
        .startsWith("shm on /dev/shm type tmpfs");
    CliResult none = docker.run("run", "--rm", "--ipc", "none", "busybox", "ls", "/dev/shm");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.stderr()).contains("/dev/shm: No such file or directory");
    assertThat(run("--ipc", "host", "busybox", "sh", "-c", "readlink /proc/self/ns/ipc"))
        .isEqualTo(readlink("/proc/self/ns/ipc"));
    assertThat(docker.run("inspect", "-f", "{{.HostConfig.IpcMode}} {{.HostConfig.ShmSize}}",
        docker.run("create", "busybox").assertSuccess().out()).assertSuccess().out()).isEqualTo("private 67108864");

    RegistryIT.assertFails(docker.run("run", "--rm", "--ipc", "bogus", "busybox", "true"),
        "Error response from daemon: Invalid IPC mode: bogus");
  }

  @Test
  void ipcAndPidOfAnotherContainerAreJoined() {
    docker.run("run", "-d", "--name", "hs-donor", "--ipc", "shareable", "busybox", "sh", "-c",
        "echo shared > /dev/shm/marker; exec sleep 300").assertSuccess();
    docker.run("run", "-d", "--name", "hs-private", "busybox", "sleep", "300").assertSuccess();
    String donorIpc = docker.run("exec", "hs-donor", "readlink", "/proc/self/ns/ipc").assertSuccess().out();
    waitForMarker();

    assertThat(run("--ipc", "container:hs-donor", "busybox", "sh", "-c", "readlink /proc/self/ns/ipc; cat /dev/shm/marker"))
        .isEqualTo(donorIpc + "\nshared");
    assertThat(run("--pid", "container:hs-private", "busybox", "ps", "-o", "comm"))
        .contains("sleep");
    CliResult refused = docker.run("run", "--rm", "--ipc", "container:hs-private", "busybox", "true");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("non-shareable IPC (hint: use IpcMode:shareable for the donor container)");

    // The shareable /dev/shm is a host mount while the donor runs, gone once it stops.
    String donorId = docker.run("inspect", "-f", "{{.Id}}", "hs-donor").assertSuccess().out();
    assertThat(shmMounts(donorId)).isEqualTo(1);
    docker.run("stop", "-t", "0", "hs-donor").assertSuccess();
    assertThat(shmMounts(donorId)).isZero();
  }

  private static long shmMounts(String containerId) {
    try {
      return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/mounts")).stream()
          .filter(l -> l.contains(containerId + "/mounts/shm")).count();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void waitForMarker() {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (docker.run("exec", "hs-donor", "test", "-f", "/dev/shm/marker").exitCode() != 0) {
      assertThat(System.nanoTime()).as("donor wrote its marker").isLessThan(deadline);
    }
  }

  @Test
  void pidAndCgroupNamespacesOfTheHost() {
    assertThat(run("--pid", "host", "busybox", "readlink", "/proc/self/ns/pid")).isEqualTo(readlink("/proc/self/ns/pid"));
    assertThat(run("busybox", "readlink", "/proc/self/ns/pid")).isNotEqualTo(readlink("/proc/self/ns/pid"));
    assertThat(run("--cgroupns", "host", "busybox", "readlink", "/proc/self/ns/cgroup"))
        .isEqualTo(readlink("/proc/self/ns/cgroup"));
    assertThat(run("--cgroupns", "private", "busybox", "readlink", "/proc/self/ns/cgroup"))
        .isNotEqualTo(readlink("/proc/self/ns/cgroup"));
  }

  @Test
  void devicesRulesAndOomScore() {
    assertThat(run("--device", "/dev/null:/dev/mynull:r", "busybox", "sh", "-c", "ls -l /dev/mynull | cut -c1"))
        .isEqualTo("c");
    assertThat(run("--device-cgroup-rule", "c 1:3 rwm", "busybox", "sh", "-c",
        "mknod /tmp/n c 1 3 && echo ok > /tmp/n && echo written")).isEqualTo("written");
    RegistryIT.assertFails(docker.run("run", "--rm", "--device-cgroup-rule", "bogus", "busybox", "true"),
        "invalid device cgroup format 'bogus'");
    assertThat(run("--oom-score-adj", "300", "busybox", "cat", "/proc/self/oom_score_adj")).isEqualTo("300");
  }

  @Test
  void aMissingDeviceIsAClearErrorAndARmContainerIsGone() {
    CliResult r = docker.run("run", "--rm", "--name", "hs-nodevice", "--device", "/dev/nosuch", "busybox", "true");
    RegistryIT.assertFails(r, "Error response from daemon: error gathering device information while adding custom "
        + "device \"/dev/nosuch\": no such file or directory");
    assertThat(docker.run("ps", "-a", "-q", "--filter", "name=hs-nodevice").assertSuccess().out()).isEmpty();
  }

  private static String readlink(String path) {
    try {
      return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of(path)).toString();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
