package dev.muelle.desktop.it;

import dev.muelle.desktop.shell.MainView;
import dev.muelle.desktop.volumes.VolumeBrowserViewModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The volume browser against a real engine: a folder dropped on it uploads, an edit saved in it
 * is what a container reads, a stale edit is refused without losing either version, a name that
 * would leave the volume is refused with the engine's reason, and export → import and clone keep
 * the files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VolumeBrowserIT {

    private static TestEngine engine;
    private static DesktopHarness desktop;
    private static Path local;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.start();
        engine.docker("volume", "create", "--label", "app=site", "site").assertOk();
        engine.docker("run", "--name", "writer", "-v", "site:/d", "busybox", "sh", "-c", "echo seeded > /d/seed.txt").assertOk();
        local = Files.createDirectories(engine.scratch().resolve("local"));
        desktop = DesktopHarness.start(engine);
    }

    @AfterAll
    static void stop() throws Exception {
        DesktopHarness.closeAll(desktop, engine);
    }

    private static VolumeBrowserViewModel browser() {
        return desktop.onFx(() -> desktop.app().volumesModel().browser());
    }

    private static boolean shows(String name) {
        return browser().visible().stream().anyMatch(f -> f.name().equals(name));
    }

    private static void awaitIdle() {
        desktop.waitFor("the transfer to end", Duration.ofSeconds(60), () -> !browser().transferringProperty().get());
    }

    @Test
    @Order(1)
    void tableShowsVolumesWithTheirUsers() {
        desktop.runFx(() -> desktop.app().mainView().show(MainView.Page.VOLUMES));
        desktop.waitFor("site in the table", Duration.ofSeconds(20), () -> desktop.app().volumesModel().items().stream()
                .anyMatch(v -> v.name().equals("site") && v.usedBy().contains("writer") && v.labels().containsKey("app")));
        desktop.screenshotBothThemes("volumes");
    }

    @Test
    @Order(2)
    void droppedFolderUploadsAndAnEditIsWhatAContainerReads() throws Exception {
        Path web = Files.createDirectories(local.resolve("web/css"));
        Files.writeString(local.resolve("web/index.html"), "<h1>hello</h1>\n");
        Files.writeString(web.resolve("site.css"), "h1 { color: teal; }\n");
        desktop.runFx(() -> desktop.app().volumesView().browse("site"));
        desktop.waitFor("the volume's root", Duration.ofSeconds(20), () -> shows("seed.txt"));

        // The handler the view's DRAG_DROPPED registration calls with the Dragboard's files (JavaFX
        // allows a Dragboard only inside a real drag gesture, which Xvfb's robot cannot start from outside the app).
        desktop.runFx(() -> desktop.app().volumesView().browser().drop(List.of(local.resolve("web").toFile())));
        awaitIdle();
        desktop.waitFor("web in the folder", Duration.ofSeconds(20), () -> shows("web"));
        desktop.runFx(() -> desktop.app().volumesView().browser().expandAll());
        desktop.waitFor("web/css in the tree", Duration.ofSeconds(20), () -> {
            desktop.app().volumesView().browser().expandAll();
            return desktop.app().volumesView().browser().treeFolders().contains("/web/css");
        });
        assertThat(engine.docker("run", "--rm", "-v", "site:/d", "busybox", "cat", "/d/web/css/site.css")
                .assertOk().stdout()).isEqualTo("h1 { color: teal; }\n");

        desktop.runFx(() -> browser().enter("/web"));
        desktop.waitFor("index.html", Duration.ofSeconds(20), () -> shows("index.html"));
        desktop.runFx(() -> browser().select(browser().visible().stream().filter(f -> f.name().equals("index.html"))
                .findFirst().orElseThrow()));
        desktop.waitFor("the editor", Duration.ofSeconds(20),
                () -> browser().previewProperty().get() == VolumeBrowserViewModel.Preview.TEXT);
        desktop.runFx(() -> browser().editorTextProperty().set("<h1>edited in Muelle</h1>\n"));
        desktop.screenshotBothThemes("volume-browser");
        desktop.click("#browser-save");
        desktop.waitFor("saved", Duration.ofSeconds(20), () -> !browser().dirtyProperty().get());
        assertThat(engine.docker("run", "--rm", "-v", "site:/d", "busybox", "cat", "/d/web/index.html")
                .assertOk().stdout()).isEqualTo("<h1>edited in Muelle</h1>\n");

        Path back = local.resolve("index-back.html");
        desktop.runFx(() -> browser().download(browser().openedProperty().get(), back));
        awaitIdle();
        desktop.waitFor("the download", Duration.ofSeconds(20), () -> Files.exists(back));
        assertThat(Files.readAllBytes(back)).isEqualTo("<h1>edited in Muelle</h1>\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @Order(3)
    void staleEditShowsTheConflictAndKeepsBothVersions() {
        desktop.runFx(() -> browser().reload());
        desktop.waitFor("the file reopened", Duration.ofSeconds(20), () -> !browser().dirtyProperty().get()
                && browser().editorTextProperty().get().contains("edited in Muelle"));
        engine.docker("run", "--rm", "-v", "site:/d", "busybox", "sh", "-c", "echo 'from a container' > /d/web/index.html").assertOk();
        desktop.runFx(() -> browser().editorTextProperty().set("my stale edit\n"));
        desktop.click("#browser-save");
        desktop.waitFor("the conflict message", Duration.ofSeconds(20),
                () -> browser().messageProperty().get().contains("was changed in the volume after you opened it"));
        desktop.screenshotBothThemes("volume-browser-conflict");
        assertThat(engine.docker("run", "--rm", "-v", "site:/d", "busybox", "cat", "/d/web/index.html").assertOk().stdout())
                .isEqualTo("from a container\n");
        assertThat(desktop.onFx(() -> browser().editorTextProperty().get())).isEqualTo("my stale edit\n");
        desktop.click("#browser-save-copy");
        desktop.waitFor("the copy", Duration.ofSeconds(20), () -> shows("index.mine.html"));
        assertThat(engine.docker("run", "--rm", "-v", "site:/d", "busybox", "cat", "/d/web/index.mine.html").assertOk().stdout())
                .isEqualTo("my stale edit\n");
    }

    @Test
    @Order(4)
    void uploadThatWouldEscapeTheVolumeIsRefusedWithAMessage() throws Exception {
        Path file = Files.writeString(local.resolve("evil.txt"), "x");
        desktop.runFx(() -> browser().upload(List.of(file), "/web/../../etc"));
        awaitIdle();
        desktop.waitFor("the refusal", Duration.ofSeconds(20),
                () -> browser().messageProperty().get().startsWith("The engine refused to upload evil.txt"));
        System.out.println("refusal: " + browser().messageProperty().get());
        assertThat(engine.docker("run", "--rm", "-v", "site:/d", "busybox", "find", "/d").assertOk().stdout())
                .doesNotContain("evil");
    }

    @Test
    @Order(5)
    void exportImportAndCloneKeepTheFiles() {
        Path tar = local.resolve("site.tar");
        desktop.runFx(() -> desktop.app().volumesModel().export("site", tar));
        awaitIdle();
        desktop.waitFor("the export", Duration.ofSeconds(30), () -> Files.exists(tar) && Files.size(tar) > 0);
        desktop.runFx(() -> desktop.app().volumesModel().importVolume("site-imported", tar));
        awaitIdle();
        desktop.runFx(() -> desktop.app().volumesModel().cloneVolume("site", "site-clone"));
        desktop.waitFor("both new volumes in the table", Duration.ofSeconds(30), () -> desktop.app().volumesModel().items()
                .stream().filter(v -> v.name().startsWith("site-")).count() == 2);
        String listing = tree("site");
        assertThat(listing).contains("./web/css/site.css", "./web/index.mine.html", "./seed.txt");
        assertThat(tree("site-imported")).isEqualTo(listing);
        assertThat(tree("site-clone")).isEqualTo(listing);
    }

    /** Every file of the volume with its checksum, as a container sees it. */
    private static String tree(String volume) {
        return engine.docker("run", "--rm", "-v", volume + ":/d", "busybox", "sh", "-c",
                "cd /d && find . -type f | sort | xargs md5sum").assertOk().stdout();
    }
}
