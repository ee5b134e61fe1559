package dev.muelle.desktop.it;

import dev.muelle.desktop.engine.DockerJavaEngineClient;
import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.EngineEvent;
import dev.muelle.desktop.engine.ExecSession;
import dev.muelle.desktop.engine.FileEntry;
import dev.muelle.desktop.engine.LogLine;
import dev.muelle.desktop.engine.StreamListener;
import dev.muelle.desktop.engine.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The docker-java client against a real engine, without a window: the calls whose reading the
 * desktop does itself (archive listing and download, history, raw inspect, log lines, exec with a
 * TTY, events) and the plain-words errors.
 */
class EngineClientIT {

    private static TestEngine engine;
    private static DockerJavaEngineClient client;

    @BeforeAll
    static void start() {
        engine = TestEngine.start();
        engine.docker("run", "-d", "--name", "box", "busybox", "sh", "-c",
                "echo first; echo oops >&2; while true; do sleep 1; done").assertOk();
        client = new DockerJavaEngineClient(engine.dockerHost());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void listsAndDownloadsFilesThroughTheArchiveApi() throws Exception {
        List<FileEntry> root = client.listFiles("box", "/");
        assertThat(root).anyMatch(f -> f.name().equals("etc") && f.directory());
        List<FileEntry> etc = client.listFiles("box", "/etc");
        assertThat(etc).anyMatch(f -> f.path().equals("/etc/passwd") && f.kind() == FileEntry.Kind.FILE);
        Path target = engine.scratch().resolve("passwd");
        client.downloadFile("box", "/etc/passwd", target);
        assertThat(Files.readString(target)).contains("root:");
    }

    @Test
    void inspectHistoryAndErrorsInPlainWords() {
        assertThat(client.inspect("box")).contains("\"Running\" : true");
        assertThat(client.history("busybox:latest")).isNotEmpty();
        assertThatThrownBy(() -> client.inspect("nope")).isInstanceOf(EngineException.NotFound.class)
                .hasMessageContaining("No such container").hasMessageNotContaining("Status 404");
    }

    @Test
    void logLinesKeepTheirStream() throws Exception {
        List<LogLine> lines = new CopyOnWriteArrayList<>();
        Subscription s = client.logs("box", 100, false, false, new StreamListener<>() {
            @Override
            public void onItem(LogLine line) {
                lines.add(line);
            }
        });
        long deadline = System.currentTimeMillis() + 10_000;
        while (lines.size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        s.close();
        assertThat(lines).contains(new LogLine("stdout", null, "first"), new LogLine("stderr", null, "oops"));
    }

    @Test
    void execWithATtyRunsCommandsAndEventsArrive() throws Exception {
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        Subscription sub = client.events(new StreamListener<>() {
            @Override
            public void onItem(EngineEvent e) {
                events.add(e);
            }
        });
        try (ExecSession shell = client.exec("box", List.of("/bin/sh"), 80, 24)) {
            shell.input().write("echo $((40+2)); exit\n".getBytes(StandardCharsets.UTF_8));
            shell.input().flush();
            String out = readUntil(shell, "42", 15);
            assertThat(out).contains("42");
        }
        engine.docker("restart", "-t", "1", "box").assertOk();
        long deadline = System.currentTimeMillis() + 15_000;
        while (events.stream().noneMatch(e -> e.action().equals("restart")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        sub.close();
        assertThat(events).anyMatch(e -> e.type().equals("container") && e.action().equals("restart"));
    }

    @Test
    void pullReportsLayerProgressAndUnknownImagesFail() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(engine.scratch().resolve("registry"))) {
            registry.push(TestEngine.layeredTar(engine.scratch(), "demo/app:2.0"), "demo/app:2.0");
            List<dev.muelle.desktop.engine.PullProgress> progress = new CopyOnWriteArrayList<>();
            client.pull(registry.host() + "/demo/app:2.0", progress::add);
            assertThat(progress).as(progress.toString())
                    .anyMatch(p -> p.layer() != null && p.status().equals("Downloading") && p.total() > 0)
                    .anyMatch(p -> p.layer() != null && p.status().equals("Pull complete"));
            assertThat(client.images()).anyMatch(i -> i.repoTags().contains(registry.host() + "/demo/app:2.0"));
            assertThatThrownBy(() -> client.pull(registry.host() + "/demo/nope:1.0", p -> { }))
                    .isInstanceOf(EngineException.class).hasMessageContaining("not found");
        }
    }

    private static String readUntil(ExecSession session, String needle, int seconds) throws Exception {
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[1024];
            int n;
            try {
                while ((n = session.output().read(buf)) > 0) {
                    synchronized (out) {
                        out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (Exception e) {
                // the session ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(seconds);
        while (System.currentTimeMillis() < deadline) {
            synchronized (out) {
                if (out.indexOf(needle) >= 0) {
                    return out.toString();
                }
            }
            Thread.sleep(50);
        }
        synchronized (out) {
            return out.toString();
        }
    }
}
