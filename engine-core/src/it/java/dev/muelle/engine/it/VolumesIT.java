package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes and mounts through the stock docker CLI: named volumes outlive containers, copy-up
 * of the image's files, anonymous volumes and {@code rm -v}, binds, tmpfs, read-only rootfs,
 * volumes-from, in-use refusal, prune. Run with {@code -Dmuelle.it.engine=dockerd} to check
 * Docker's behaviour.
 */
@EngineTest
class VolumesIT {

  private final Engine engine;
  private final DockerCli docker;

  @TempDir static Path host;

  VolumesIT(Engine engine, DockerCli docker) {
    this.engine = engine;
    this.docker = docker;
  }

  /** An image with busybox, content under /data and {@code VOLUME /data}, made with docker import. */
  @BeforeAll
  static void importImageWithVolume(DockerCli docker) throws IOException {
    Path tar = host.resolve("withvolume.tar");
    try (OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
      dir(t, "bin/");
      file(t, "bin/busybox", busybox, 0755, 0, 0);
      for (String applet : List.of("sh", "ls", "cat", "stat", "sleep", "echo", "true")) {
        TarArchiveEntry l = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
        l.setLinkName("busybox");
        t.putArchiveEntry(l);
        t.closeArchiveEntry();
      }
      TarArchiveEntry d = new TarArchiveEntry("data/");
      d.setMode(040750);
      d.setIds(1000, 1000);
      t.putArchiveEntry(d);
      t.closeArchiveEntry();
      file(t, "data/seed.txt", "from the image\n".getBytes(), 0640, 1000, 1000);
    }
    docker.run("import", "--change", "VOLUME /data", "--change", "CMD [\"/bin/sh\"]", tar.toString(), "withvolume:1")
        .assertSuccess();
  }

  @AfterAll
  static void cleanUp(DockerCli docker) {
    docker.run("rm", "-f", "-v", "vol_writer", "vol_reader", "vol_holder", "vol_img", "vol_from_src", "vol_from_dst",
        "vol_anon", "vol_ro");
    docker.run("volume", "prune", "-f", "--all");
    docker.run("volume", "prune", "-f");
  }

  private static void dir(TarArchiveOutputStream t, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(040755);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream t, String name, byte[] content, int mode, int uid, int gid)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    e.setMode(0100000 | mode);
    e.setIds(uid, gid);
    t.putArchiveEntry(e);
    t.write(content);
    t.closeArchiveEntry();
  }

  private String inspect(String format, String what) {
    return docker.run("inspect", "-f", format, what).assertSuccess().out();
  }

  @Test
  void theClassicExampleKeepsDataAcrossContainers() {
    docker.run("run", "-d", "-it", "--name", "vol_writer", "-v", "my_datos:/opt/app", "busybox").assertSuccess();
    docker.run("exec", "vol_writer", "sh", "-c", "echo 'spark data' > /opt/app/datos.txt").assertSuccess();
    docker.run("rm", "-f", "vol_writer").assertSuccess();

    assertThat(docker.run("volume", "ls", "--format", "{{.Name}}").out()).contains("my_datos");
    CliResult read = docker.run("run", "--rm", "-v", "my_datos:/opt/app", "busybox", "cat", "/opt/app/datos.txt");
    assertThat(read.assertSuccess().stdout()).isEqualTo("spark data\n");
    assertThat(inspect("{{.Mountpoint}}", "my_datos")).endsWith("/volumes/my_datos/_data");
  }

  @Test
  void createInspectListAndRemoveWithLabelsAndFilters() {
    docker.run("volume", "create", "--label", "team=data", "vol_labelled").assertSuccess();
    assertThat(inspect("{{.Driver}} {{.Scope}} {{json .Labels}} {{.Options}}", "vol_labelled"))
        .isEqualTo("local local {\"team\":\"data\"} map[]");
    assertThat(docker.run("volume", "ls", "-q", "--filter", "label=team=data").out()).isEqualTo("vol_labelled");
    assertThat(docker.run("volume", "ls", "-q", "--filter", "name=labelled").out()).isEqualTo("vol_labelled");

    CliResult bad = docker.run("volume", "create", "bad/name");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.stderr()).contains("\"bad/name\" includes invalid characters for a local volume name");

    docker.run("volume", "rm", "vol_labelled").assertSuccess();
    CliResult gone = docker.run("volume", "inspect", "vol_labelled");
    assertThat(gone.stderr()).contains("no such volume");
  }

  @Test
  void anInUseVolumeCannotBeRemovedEvenStopped() {
    String id = docker.run("create", "--name", "vol_holder", "-v", "held:/x", "busybox", "true").assertSuccess().out();

    CliResult refused = docker.run("volume", "rm", "held");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("remove held: volume is in use - [" + id + "]");
    assertThat(docker.run("volume", "rm", "-f", "held").exitCode()).isNotZero();

    docker.run("rm", "vol_holder").assertSuccess();
    docker.run("volume", "rm", "held").assertSuccess();
  }

  @Test
  void aNewNamedVolumeStartsWithTheImagesFilesAtItsPath() {
    CliResult ls = docker.run("run", "--rm", "-v", "etc_copy:/etc", "busybox", "cat", "/etc/group");
    assertThat(ls.assertSuccess().stdout()).contains("root:x:0:");
    // The copy happens only into an empty volume: a second container sees what the first left.
    docker.run("run", "--rm", "-v", "etc_copy:/etc", "busybox", "sh", "-c", "echo changed > /etc/group").assertSuccess();
    assertThat(docker.run("run", "--rm", "-v", "etc_copy:/etc", "busybox", "cat", "/etc/group").out()).isEqualTo("changed");
  }

  @Test
  void anImageVolumeIsAnonymousFilledAndRemovedWithRmV() {
    docker.run("run", "-d", "--name", "vol_img", "-v", "kept_named:/named", "withvolume:1", "sleep", "300").assertSuccess();
    assertThat(docker.run("exec", "vol_img", "cat", "/data/seed.txt").out()).isEqualTo("from the image");
    assertThat(docker.run("exec", "vol_img", "stat", "-c", "%u:%g %a", "/data", "/data/seed.txt").out())
        .isEqualTo("1000:1000 750\n1000:1000 640");
    String anon = inspect("{{range .Mounts}}{{if eq .Destination \"/data\"}}{{.Name}}{{end}}{{end}}", "vol_img");
    assertThat(anon).hasSize(64);
    assertThat(inspect("{{range .Mounts}}{{.Destination}}={{.Type}},{{.RW}},{{.Mode}};{{end}}", "vol_img"))
        .contains("/named=volume,true,z;").contains("/data=volume,true,;");

    docker.run("rm", "-f", "-v", "vol_img").assertSuccess();
    String left = docker.run("volume", "ls", "-q").out();
    assertThat(left).doesNotContain(anon).contains("kept_named");
  }

  @Test
  void rmWithoutVKeepsAnonymousVolumes() {
    docker.run("run", "-d", "--name", "vol_anon", "-v", "/scratch", "busybox", "sleep", "300").assertSuccess();
    String anon = inspect("{{range .Mounts}}{{.Name}}{{end}}", "vol_anon");
    docker.run("rm", "-f", "vol_anon").assertSuccess();
    assertThat(docker.run("volume", "ls", "-q").out()).contains(anon);
    docker.run("volume", "rm", anon).assertSuccess();
  }

  @Test
  void bindTmpfsAndReadOnlyMountsBehaveAsInDocker() throws IOException {
    Path shared = Files.createDirectories(host.resolve("shared"));
    Files.writeString(shared.resolve("hello.txt"), "from the host\n");

    CliResult run = docker.run("run", "--rm", "--read-only",
        "-v", shared + ":/ro:ro",
        "--mount", "type=bind,src=" + shared + ",dst=/rw",
        "--tmpfs", "/scratch:size=1m",
        "--mount", "type=tmpfs,dst=/t2,tmpfs-size=2000000,tmpfs-mode=1770",
        "-v", "rw_vol:/vol",
        "busybox", "sh", "-c",
        "cat /ro/hello.txt; echo x > /ro/no 2>/dev/null || echo ro-refused;"
            + " echo from-ctr > /rw/out.txt && echo rw-ok;"
            + " echo x > /scratch/f && echo tmpfs-ok; stat -c %a /t2;"
            + " echo x > /vol/f && echo vol-ok; echo x > /rootfile 2>/dev/null || echo rootfs-ro");
    assertThat(run.assertSuccess().stdout()).isEqualTo(
        "from the host\nro-refused\nrw-ok\ntmpfs-ok\n1770\nvol-ok\nrootfs-ro\n");
    assertThat(Files.readString(shared.resolve("out.txt"))).isEqualTo("from-ctr\n");
  }

  @Test
  void aMissingBindSourceIsAClearErrorWithMountButCreatedWithV() {
    Path missing = host.resolve("missing-src");
    CliResult refused = docker.run("run", "--rm", "--mount", "type=bind,src=" + missing + ",dst=/x", "busybox", "true");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("bind source path does not exist: " + missing);

    Path made = host.resolve("made-by-v");
    docker.run("run", "--rm", "-v", made + ":/x", "busybox", "true").assertSuccess();
    assertThat(made).isDirectory();
  }

  @Test
  void volumesFromSharesAnotherContainersVolumesReadOnlyOnRequest() {
    docker.run("run", "-d", "--name", "vol_from_src", "-v", "from_vol:/shared", "-v", "/anon_shared", "busybox",
        "sh", "-c", "echo shared > /shared/f; echo anon > /anon_shared/g; sleep 300").assertSuccess();
    docker.run("exec", "vol_from_src", "sh", "-c", "while [ ! -f /anon_shared/g ]; do sleep 0.1; done").assertSuccess();

    CliResult read = docker.run("run", "--rm", "--volumes-from", "vol_from_src:ro", "busybox", "sh", "-c",
        "cat /shared/f /anon_shared/g; echo x > /shared/f 2>/dev/null || echo refused");
    assertThat(read.assertSuccess().stdout()).isEqualTo("shared\nanon\nrefused\n");

    docker.run("run", "--name", "vol_from_dst", "--volumes-from", "vol_from_src", "busybox", "true").assertSuccess();
    assertThat(inspect("{{range .Mounts}}{{.Destination}}:{{.RW}} {{end}}", "vol_from_dst"))
        .contains("/shared:true").contains("/anon_shared:true");
    docker.run("rm", "-f", "vol_from_dst", "vol_from_src").assertSuccess();
  }

  @Test
  void pruneRemovesUnusedAnonymousVolumesAndWithAllNamedOnesToo() {
    docker.run("volume", "create", "prune_named").assertSuccess();
    docker.run("run", "--name", "vol_ro", "-v", "/prune_anon", "busybox", "true").assertSuccess();
    String anon = inspect("{{range .Mounts}}{{.Name}}{{end}}", "vol_ro");
    docker.run("rm", "vol_ro").assertSuccess();

    docker.run("volume", "prune", "-f").assertSuccess();
    String left = docker.run("volume", "ls", "-q").out();
    assertThat(left).doesNotContain(anon);
    if (engine.kind() == Engine.Kind.MUELLE) {
      // API 1.42+: without --all only anonymous volumes go (dockerd 20.10 speaks 1.41 and prunes all).
      assertThat(left).contains("prune_named");
    }
    if (engine.kind() == Engine.Kind.MUELLE) {
      docker.run("volume", "prune", "-f", "--all").assertSuccess();
    }
    assertThat(docker.run("volume", "ls", "-q", "--filter", "name=prune_named").out()).isEmpty();
  }

  @Test
  void driverOptionsMountTmpfsAndBindVolumes() throws IOException {
    Path device = Files.createDirectories(host.resolve("bind-device"));
    docker.run("volume", "create", "--opt", "type=tmpfs", "--opt", "device=tmpfs", "--opt", "o=size=1m,uid=1000", "opt_tmpfs")
        .assertSuccess();
    docker.run("volume", "create", "--opt", "type=none", "--opt", "o=bind", "--opt", "device=" + device, "opt_bind")
        .assertSuccess();
    assertThat(inspect("{{json .Options}}", "opt_tmpfs")).isEqualTo("{\"device\":\"tmpfs\",\"o\":\"size=1m,uid=1000\",\"type\":\"tmpfs\"}");
    CliResult run = docker.run("run", "--rm", "-v", "opt_tmpfs:/t", "-v", "opt_bind:/b", "busybox", "sh", "-c",
        "grep ' /t ' /proc/mounts | cut -d' ' -f3; stat -c %u /t; echo via-volume > /b/f");
    assertThat(run.assertSuccess().out()).isEqualTo("tmpfs\n1000");
    assertThat(Files.readString(device.resolve("f"))).isEqualTo("via-volume\n");
    docker.run("volume", "rm", "opt_tmpfs", "opt_bind").assertSuccess();

    CliResult bad = docker.run("volume", "create", "--opt", "foo=bar", "opt_bad");
    assertThat(bad.stderr()).contains("create opt_bad: invalid option: \"foo\"");
    CliResult noDevice = docker.run("volume", "create", "--opt", "type=tmpfs", "opt_bad");
    assertThat(noDevice.stderr()).contains("create opt_bad: missing required option: \"device\"");
  }

  @Test
  void systemDfShowsVolumeSizes() {
    docker.run("run", "--rm", "-v", "df_vol:/d", "busybox", "sh", "-c", "dd if=/dev/zero of=/d/blob bs=1024 count=300 2>/dev/null")
        .assertSuccess();
    String df = docker.run("system", "df", "-v").assertSuccess().out();
    assertThat(df.lines().filter(l -> l.startsWith("df_vol ")).findFirst().orElse(df)).matches("df_vol +0 +307\\.2kB");
    docker.run("volume", "rm", "df_vol").assertSuccess();
  }
}
