package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image events on {@code GET /events} as dockerd sends them: tag, untag, delete, save, load,
 * import and the tag of a build, each with dockerd's actor ID and {@code name} attribute, and the
 * {@code type=image} and {@code image=} filters. Pull and push events are checked in {@link
 * RegistryIT}, next to a real registry.
 */
@EngineTest
class ImageEventsIT {

  private static final String FORMAT = "{{.Action}} {{.Actor.ID}} {{index .Actor.Attributes \"name\"}}";

  @TempDir
  Path work;

  @Test
  void tagSaveUntagLoadImportDeleteAndBuildAreImageEvents(DockerCli docker) throws IOException {
    Path saved = work.resolve("saved.tar");
    Path rootfs = work.resolve("rootfs.tar");
    Path context = Files.createDirectories(work.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nLABEL evented=yes\n");
    String busybox = RegistryIT.imageId(docker, "busybox");
    Instant since = Instant.now(); // after the class's busybox load

    docker.run("tag", "busybox", "ev/one:v1").assertSuccess();
    docker.run("save", "-o", saved.toString(), "ev/one:v1").assertSuccess();
    docker.run("rmi", "ev/one:v1").assertSuccess();
    docker.run("load", "-i", saved.toString()).assertSuccess();
    docker.run("rmi", "ev/one:v1").assertSuccess();
    docker.run("export", "-o", rootfs.toString(), docker.run("create", "busybox").assertSuccess().out())
        .assertSuccess();
    String imported = docker.run("import", rootfs.toString(), "ev/imported:v1").assertSuccess().out();
    docker.run("rmi", "ev/imported:v1").assertSuccess();
    docker.run(Duration.ofMinutes(2), "build", "-q", "-t", "ev/built:v1", context.toString()).assertSuccess();
    String built = RegistryIT.imageId(docker, "ev/built:v1");
    Instant until = Instant.now().plusSeconds(1);

    assertThat(events(docker, since, until, "type=image")).containsExactly(
        "tag " + busybox + " ev/one:v1",
        "save " + busybox + " " + busybox,
        "untag " + busybox + " " + busybox,
        "load " + busybox + " " + busybox,
        "untag " + busybox + " " + busybox,
        "tag " + imported + " ev/imported:v1",
        "import " + imported + " " + imported,
        "untag " + imported + " " + imported,
        "delete " + imported + " " + imported,
        "tag " + built + " ev/built:v1");
    // image= matches the actor ID or the name, with or without its tag.
    assertThat(events(docker, since, until, "image=ev/one")).containsExactly("tag " + busybox + " ev/one:v1");
    assertThat(events(docker, since, until, "image=ev/built:v1")).containsExactly("tag " + built + " ev/built:v1");
    assertThat(events(docker, since, until, "image=" + imported)).hasSize(4);
    // The image's labels travel as attributes, as dockerd copies them.
    assertThat(docker.run("events", "--since", stamp(since), "--until", stamp(until), "--filter", "image=ev/built",
        "--format", "{{index .Actor.Attributes \"evented\"}}").assertSuccess().out()).isEqualTo("yes");
    docker.run("rmi", "ev/built:v1").assertSuccess();
  }

  @Test
  void imageEventsCarryTheDeprecatedStatusAndIdButNoFrom(DockerCli docker) {
    Instant since = Instant.now().minusSeconds(1);
    docker.run("tag", "busybox", "ev/raw:v1").assertSuccess();
    Instant until = Instant.now().plusSeconds(1);
    String json = docker.run("events", "--since", stamp(since), "--until", stamp(until), "--filter",
        "image=ev/raw", "--format", "{{json .}}").assertSuccess().out();
    assertThat(json).contains("\"status\":\"tag\"", "\"id\":\"sha256:", "\"Type\":\"image\"",
        "\"scope\":\"local\"").doesNotContain("\"from\"");
    docker.run("rmi", "ev/raw:v1").assertSuccess();
  }

  /** {@code docker events} in a closed window, one line per event in {@link #FORMAT}. */
  static List<String> events(DockerCli docker, Instant since, Instant until, String... filters) {
    List<String> args = new ArrayList<>(List.of("events", "--since", stamp(since), "--until", stamp(until)));
    for (String f : filters) {
      args.addAll(List.of("--filter", f));
    }
    args.addAll(List.of("--format", FORMAT));
    return docker.run(args.toArray(String[]::new)).assertSuccess().out().lines().toList();
  }

  static String stamp(Instant t) {
    return String.format("%d.%09d", t.getEpochSecond(), t.getNano());
  }
}
