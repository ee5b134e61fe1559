package dev.muelle.engine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The volume file API ({@code /muelle/v1/volumes/{name}/...}, a Muelle extension, so Muelle
 * only): browsing, reading, conflict-checked edits seen by containers, uploads, export/import,
 * clone, and traversal attempts on every endpoint that must get a 4xx and touch nothing outside.
 */
@EngineTest
class VolumeFileApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Engine engine;
  private final DockerCli docker;

  @TempDir static Path host;
  static Path sentinel;

  VolumeFileApiIT(Engine engine, DockerCli docker) {
    this.engine = engine;
    this.docker = docker;
  }

  @BeforeAll
  static void setUp(Engine engine) throws IOException {
    assumeTrue(engine.kind() == Engine.Kind.MUELLE, "the volume file API is a Muelle extension");
    sentinel = Files.createDirectories(host.resolve("sentinel"));
    Files.writeString(sentinel.resolve("secret"), "SECRET\n");
  }

  @AfterAll
  static void tearDown(DockerCli docker) {
    docker.run("rm", "-f", "base-spark-volume", "api_editor", "api_race");
    docker.run("volume", "prune", "-f", "--all");
  }

  // ------------------------------------------------------------------ a curl-based client

  /** One HTTP exchange: status, headers (lower-case names) and body. */
  record Reply(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }

  private Reply call(String method, String path, String... curlArgs) throws Exception {
    Path headers = Files.createTempFile(host, "h", ".txt");
    Path body = Files.createTempFile(host, "b", ".bin");
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "120", "--unix-socket",
        engine.socket().toString(), "-X", method, "-D", headers.toString(), "-o", body.toString(), "-w", "%{http_code}"));
    cmd.addAll(List.of(curlArgs));
    cmd.add("http://localhost/muelle/v1/volumes" + path);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(150, TimeUnit.SECONDS)).isTrue();
    Map<String, String> h = new LinkedHashMap<>();
    for (String line : Files.readAllLines(headers)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        h.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
      }
    }
    return new Reply(Integer.parseInt(out.trim()), h, Files.readAllBytes(body));
  }

  private static String q(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  private Reply get(String volume, String op, String path, String... curlArgs) throws Exception {
    return call("GET", "/" + volume + "/" + op + "?path=" + q(path), curlArgs);
  }

  private Reply put(String volume, String path, String content, String... headers) throws Exception {
    Path f = Files.writeString(Files.createTempFile(host, "put", ".txt"), content);
    List<String> args = new ArrayList<>(List.of("--data-binary", "@" + f));
    for (String h : headers) {
      args.addAll(List.of("-H", h));
    }
    return call("PUT", "/" + volume + "/file?path=" + q(path), args.toArray(String[]::new));
  }

  /**
   * Runs {@code script} with the volume at /v and returns its output, read from the log rather
   * than an attached {@code docker run}: under load the attach stream of a container that exits
   * at once sometimes arrives empty (a race in the attach path, not in volumes).
   */
  private String inContainer(String volume, String script) {
    String id = docker.run("run", "-d", "-v", volume + ":/v", "busybox", "sh", "-c", script).assertSuccess().out();
    try {
      assertThat(docker.run("wait", id).out()).isEqualTo("0");
      return docker.run("logs", id).assertSuccess().out();
    } finally {
      docker.run("rm", "-f", id);
    }
  }

  private static Path tarOf(String name, Map<String, String> files) throws IOException {
    Path tar = host.resolve(name);
    try (OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      for (var e : files.entrySet()) {
        if (e.getKey().endsWith("/")) {
          TarArchiveEntry d = new TarArchiveEntry(e.getKey());
          d.setMode(040700);
          d.setIds(33, 33);
          t.putArchiveEntry(d);
        } else if (e.getValue().startsWith("->")) {
          TarArchiveEntry l = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_SYMLINK);
          l.setLinkName(e.getValue().substring(2));
          t.putArchiveEntry(l);
        } else {
          byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
          TarArchiveEntry f = new TarArchiveEntry(e.getKey());
          f.setSize(b.length);
          f.setMode(0100640);
          f.setIds(1000, 100);
          t.putArchiveEntry(f);
          t.write(b);
        }
        t.closeArchiveEntry();
      }
    }
    return tar;
  }

  private static List<String> sentinelContents() throws IOException {
    try (Stream<Path> s = Files.list(sentinel)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  // ------------------------------------------------------------------ tests

  @Test
  void theClassicExampleIsListedAndReadThroughTheFileApi() throws Exception {
    docker.run("run", "-d", "-it", "--name", "base-spark-volume", "-v", "my_datos:/opt/app", "busybox").assertSuccess();
    docker.run("exec", "base-spark-volume", "sh", "-c", "mkdir -p /opt/app/conf && echo 'spark data' > /opt/app/datos.txt")
        .assertSuccess();
    docker.run("rm", "-f", "base-spark-volume").assertSuccess();
    assertThat(inContainer("my_datos", "cat /v/datos.txt")).isEqualTo("spark data");

    Reply list = get("my_datos", "list", "/");
    assertThat(list.status()).isEqualTo(200);
    List<String> rows = new ArrayList<>();
    list.json().get("entries").forEach(e -> rows.add(e.get("name").asText() + ":" + e.get("type").asText() + ":" + e.get("size").asLong()));
    assertThat(rows).containsExactly("conf:directory:0", "datos.txt:file:11");
    assertThat(get("my_datos", "file", "/datos.txt").text()).isEqualTo("spark data\n");
    assertThat(get("my_datos", "file", "/datos.txt", "-H", "Range: bytes=6-9").text()).isEqualTo("data");
  }

  @Test
  void anUploadedTreeIsSeenByAContainerAndEditsAreConflictChecked() throws Exception {
    docker.run("volume", "create", "api_edit").assertSuccess();
    Path tar = tarOf("tree.tar", Map.of("site/", "", "site/index.html", "<h1>v1</h1>\n", "site/css/", "",
        "site/css/app.css", "body{}\n"));
    Reply up = call("POST", "/api_edit/upload?path=" + q("/"), "-H", "Content-Type: application/x-tar",
        "--data-binary", "@" + tar);
    assertThat(up.status()).as(up.toString()).isEqualTo(200);
    assertThat(inContainer("api_edit", "cd /v && find . | sort && stat -c '%a %u:%g' site site/index.html"))
        .isEqualTo(".\n./site\n./site/css\n./site/css/app.css\n./site/index.html\n700 33:33\n640 1000:100");

    docker.run("run", "-d", "--name", "api_editor", "-v", "api_edit:/v", "busybox", "sleep", "600").assertSuccess();
    Reply read = get("api_edit", "file", "/site/index.html");
    String etag = read.headers().get("etag");
    Reply edit = put("api_edit", "/site/index.html", "<h1>v2</h1>\n", "If-Match: " + etag);
    assertThat(edit.status()).as(edit.toString()).isEqualTo(200);
    assertThat(docker.run("exec", "api_editor", "cat", "/v/site/index.html").out()).isEqualTo("<h1>v2</h1>");
    assertThat(docker.run("exec", "api_editor", "stat", "-c", "%a %u:%g", "/v/site/index.html").out()).isEqualTo("640 1000:100");

    // Someone else (here the container) edits after our read: our stale write is refused.
    String current = edit.headers().get("etag");
    docker.run("exec", "api_editor", "sh", "-c", "echo '<h1>container</h1>' > /v/site/index.html").assertSuccess();
    Reply stale = put("api_edit", "/site/index.html", "<h1>mine</h1>\n", "If-Match: " + current);
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.json().get("message").asText()).contains("was changed since it was read");
    assertThat(docker.run("exec", "api_editor", "cat", "/v/site/index.html").out()).isEqualTo("<h1>container</h1>");

    Reply wrongHash = put("api_edit", "/site/index.html", "x", "X-Muelle-Expected-Sha256: " + "0".repeat(64));
    assertThat(wrongHash.status()).isEqualTo(409);
    Reply createOnly = put("api_edit", "/site/index.html", "x", "If-None-Match: *");
    assertThat(createOnly.status()).isEqualTo(409);
    assertThat(put("api_edit", "/site/new.txt", "new\n", "If-None-Match: *").status()).isEqualTo(200);

    Path a = Files.writeString(host.resolve("a.txt"), "multipart a\n");
    Path b = Files.writeString(host.resolve("b.txt"), "multipart b\n");
    Reply multi = call("POST", "/api_edit/upload?path=" + q("/site/uploads"), "-F", "f1=@" + a, "-F",
        "f2=@" + b + ";filename=nested/b.txt");
    assertThat(multi.status()).as(multi.toString()).isEqualTo(200);
    assertThat(docker.run("exec", "api_editor", "cat", "/v/site/uploads/a.txt", "/v/site/uploads/nested/b.txt").out())
        .isEqualTo("multipart a\nmultipart b");

    assertThat(call("POST", "/api_edit/mkdir?path=" + q("/site/img/icons") + "&parents=1&mode=0750").status()).isEqualTo(201);
    assertThat(call("POST", "/api_edit/move?from=" + q("/site/new.txt") + "&to=" + q("/site/img/new.txt")).status())
        .isEqualTo(204);
    assertThat(docker.run("exec", "api_editor", "stat", "-c", "%a", "/v/site/img/icons").out()).isEqualTo("750");
    assertThat(docker.run("exec", "api_editor", "cat", "/v/site/img/new.txt").out()).isEqualTo("new");
    assertThat(call("DELETE", "/api_edit/file?path=" + q("/site/img")).status()).isEqualTo(409);
    assertThat(call("DELETE", "/api_edit/file?path=" + q("/site/img") + "&recursive=1").status()).isEqualTo(204);
    assertThat(docker.run("exec", "api_editor", "ls", "/v/site").out()).isEqualTo("css\nindex.html\nuploads");

    JsonNode usage = get("api_edit", "usage", "/").json();
    assertThat(usage.get("files").asLong()).isEqualTo(8);
    Reply dir = get("api_edit", "archive", "/site/css");
    assertThat(dir.status()).isEqualTo(200);
    assertThat(dir.text()).contains("css/app.css").contains("body{}");
    docker.run("rm", "-f", "api_editor").assertSuccess();
  }

  @Test
  void exportImportAndCloneKeepContentModesAndOwners() throws Exception {
    docker.run("volume", "create", "api_src").assertSuccess();
    inContainer("api_src", "mkdir -p /v/a/b && echo one > /v/a/b/f && chown 12:34 /v/a/b/f && chmod 4711 /v/a/b/f"
        + " && ln -s b/f /v/a/l && chmod 700 /v/a && ln /v/a/b/f /v/hard");
    String expected = "find /v | sort | while read f; do stat -c '%n %a %u:%g %h %F' \"$f\"; done; cat /v/a/b/f";
    String original = inContainer("api_src", expected);

    Path exported = host.resolve("export.tar");
    Reply export = call("GET", "/api_src/export");
    Files.write(exported, export.body());
    assertThat(export.status()).isEqualTo(200);
    Reply imported = call("POST", "/import?name=api_imported", "-H", "Content-Type: application/x-tar",
        "--data-binary", "@" + exported);
    assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
    assertThat(inContainer("api_imported", expected)).isEqualTo(original);
    assertThat(call("POST", "/import?name=api_imported", "--data-binary", "@" + exported).status()).isEqualTo(409);

    Reply clone = call("POST", "/api_src/clone?to=api_clone");
    assertThat(clone.status()).as(clone.toString()).isEqualTo(201);
    assertThat(inContainer("api_clone", expected)).isEqualTo(original);
    inContainer("api_clone", "echo changed > /v/a/b/f && touch /v/only-in-clone");
    assertThat(inContainer("api_src", "cat /v/a/b/f; ls /v")).isEqualTo("one\na\nhard");
  }

  @Test
  void traversalIsRefusedOnEveryEndpointAndTouchesNothingOutside() throws Exception {
    docker.run("volume", "create", "api_trav").assertSuccess();
    inContainer("api_trav", "mkdir /v/d && echo inside > /v/d/f && ln -s " + sentinel + " /v/out && ln -s /etc /v/etc"
        + " && ln -s ../.. /v/up");
    Path tar = tarOf("escape.tar", Map.of("x", "x"));
    List<String> escapes = List.of("../../../../" + sentinel + "/secret", "d/../../secret", "out/secret", "up/secret",
        "etc/passwd", "out");
    List<Reply> replies = new ArrayList<>();
    for (String p : escapes) {
      replies.add(get("api_trav", "list", p));
      replies.add(get("api_trav", "stat", p + "/secret"));
      replies.add(get("api_trav", "file", p));
      replies.add(put("api_trav", p + "/planted", "planted"));
      replies.add(call("DELETE", "/api_trav/file?path=" + q(p + "/secret")));
      replies.add(call("POST", "/api_trav/mkdir?path=" + q(p + "/newdir")));
      replies.add(call("POST", "/api_trav/move?from=" + q("d/f") + "&to=" + q(p + "/moved")));
      replies.add(call("POST", "/api_trav/move?from=" + q(p + "/secret") + "&to=" + q("d/stolen")));
      replies.add(get("api_trav", "archive", p + "/"));
      replies.add(call("POST", "/api_trav/upload?path=" + q(p), "-H", "Content-Type: application/x-tar",
          "--data-binary", "@" + tar));
    }
    for (Reply r : replies) {
      assertThat(r.status()).as(r.toString()).isBetween(400, 499);
      assertThat(r.text()).doesNotContain("SECRET").doesNotContain("root:x:0:0");
    }
    // Absolute paths are the volume's own: /etc/passwd is not the host's.
    assertThat(get("api_trav", "file", "/etc/passwd").status()).isEqualTo(403);
    assertThat(get("api_trav", "file", "/no/such").status()).isEqualTo(404);

    // A tar whose entries climb out, or write through a symlink it planted, is refused.
    Path dotdot = tarOf("dotdot.tar", Map.of("../../escaped", "x"));
    assertThat(call("POST", "/api_trav/upload?path=" + q("/d"), "-H", "Content-Type: application/x-tar",
        "--data-binary", "@" + dotdot).status()).isEqualTo(400);
    Path viaLink = tarOf("vialink.tar", new java.util.TreeMap<>(Map.of("a-link", "->" + sentinel, "a-link/planted", "x")));
    assertThat(call("POST", "/api_trav/upload?path=" + q("/d"), "-H", "Content-Type: application/x-tar",
        "--data-binary", "@" + viaLink).status()).isBetween(400, 499);

    assertThat(sentinelContents()).containsExactly("secret");
    assertThat(Files.readString(sentinel.resolve("secret"))).isEqualTo("SECRET\n");
    assertThat(inContainer("api_trav", "cat /v/d/f")).isEqualTo("inside");
  }

  @Test
  void aSymlinkSwappedInDuringRequestsNeverLeadsOut() throws Exception {
    docker.run("volume", "create", "api_race").assertSuccess();
    docker.run("run", "-d", "--name", "api_race", "-v", "api_race:/v", "busybox", "sh", "-c",
        "while true; do mkdir -p /v/dd; echo inside > /v/dd/secret; mv -T /v/dd /v/d 2>/dev/null; rm -rf /v/d;"
            + " ln -s " + sentinel + " /v/d; rm -f /v/d; done").assertSuccess();
    long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    int reads = 0;
    while (System.nanoTime() < deadline) {
      Reply r = get("api_race", "file", "/d/secret");
      assertThat(r.text()).doesNotContain("SECRET");
      put("api_race", "/d/planted", "planted");
      get("api_race", "list", "/d");
      reads++;
    }
    docker.run("rm", "-f", "api_race").assertSuccess();
    assertThat(reads).isGreaterThan(10);
    assertThat(sentinelContents()).containsExactly("secret");
  }
}
