package dev.muelle.desktop.it;

import dev.muelle.desktop.engine.VolumeFile;
import dev.muelle.desktop.shell.MainView;
import dev.muelle.desktop.volumes.VolumeBrowserViewModel;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.TableView;
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
 * the files. Also: the volumes table's labels and used-by links, breadcrumbs and search, the
 * highlighted preview, entries dragged out to the desktop, names the engine refuses, and a long
 * upload cancelled half-way that leaves nothing in the volume.
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
        desktop.settle();
        TableView<?> table = desktop.node("#volumes-table");
        assertThat(desktop.onFx(() -> table.lookupAll(".table-cell").stream()
                .map(n -> ((javafx.scene.control.Labeled) n).getText()).anyMatch("app=site"::equals)))
                .as("the labels column shows app=site").isTrue();
        desktop.screenshotBothThemes("volumes");

        // "Used by" names are links to the containers.
        Hyperlink writer = desktop.onFx(() -> table.lookupAll(".hyperlink").stream().map(Hyperlink.class::cast)
                .filter(h -> h.getText().equals("writer")).findFirst().orElseThrow());
        desktop.robot().clickOn(writer);
        desktop.waitFor("the writer selected on the containers page", Duration.ofSeconds(20), () ->
                desktop.app().mainView().current() == MainView.Page.CONTAINERS && desktop.app().containersView()
                        .lookup("#containers-table") instanceof javafx.scene.control.TreeTableView<?> t
                        && t.getSelectionModel().getSelectedItem() != null
                        && String.valueOf(t.getSelectionModel().getSelectedItem().getValue()).contains("writer"));
        desktop.runFx(() -> desktop.app().mainView().show(MainView.Page.VOLUMES));
    }

    @Test
    @Order(2)
    void droppedFolderUploadsAndAnEditIsWhatAContainerReads() throws Exception {
        Path web = Files.createDirectories(local.resolve("web/css"));
        Files.writeString(local.resolve("web/index.html"), "<h1>hello</h1>\n");
        Files.writeString(web.resolve("site.css"), "h1 { color: teal; }\n");
        Path lib = Files.createDirectories(local.resolve("web/js/vendor/lib"));
        Files.write(lib.resolve("app.bin"), new byte[] {0, 1, 2, 3, (byte) 0xff});
        Files.writeString(local.resolve("web/js/compose.yaml"), "services:\n  web:\n    image: nginx # pinned\n");
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
        assertThat(engine.docker("run", "--rm", "-v", "site:/d", "busybox", "sh", "-c",
                "cd /d/web && find . | sort && od -An -tx1 js/vendor/lib/app.bin").assertOk().stdout())
                .isEqualTo(".\n./css\n./css/site.css\n./index.html\n./js\n./js/compose.yaml\n./js/vendor\n"
                        + "./js/vendor/lib\n./js/vendor/lib/app.bin\n 00 01 02 03 ff\n");

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

    private static VolumeFile shown(String name) {
        return desktop.onFx(() -> browser().visible().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow());
    }

    @Test
    @Order(6)
    void breadcrumbsSearchAndTheHighlightedPreview() {
        desktop.runFx(() -> browser().enter("/web/js/vendor"));
        desktop.waitFor("vendor shown", Duration.ofSeconds(20), () -> shows("lib"));
        desktop.settle();
        List<String> crumbs = desktop.onFx(() -> desktop.<javafx.scene.layout.HBox>node("#browser-breadcrumbs").getChildren()
                .stream().filter(Button.class::isInstance).map(n -> ((Button) n).getText()).toList());
        assertThat(crumbs).containsExactly("/", "web", "js", "vendor");
        clickCrumb("js");
        desktop.waitFor("the js folder", Duration.ofSeconds(20), () -> browser().directoryProperty().get().equals("/web/js")
                && shows("compose.yaml"));

        desktop.runFx(() -> browser().select(shown("compose.yaml")));
        desktop.waitFor("the highlighted preview", Duration.ofSeconds(20), () -> !browser().highlightsProperty().get().isEmpty());
        desktop.settle();
        javafx.scene.text.TextFlow flow = desktop.node("#browser-highlighted");
        assertThat(desktop.onFx(() -> flow.getChildren().stream().filter(n -> n.getStyleClass().contains("hl-comment"))
                .map(n -> ((javafx.scene.text.Text) n).getText()).toList())).containsExactly("# pinned");
        assertThat(desktop.onFx(() -> flow.isVisible() && !desktop.node("#browser-editor").isVisible())).isTrue();
        desktop.screenshotBothThemes("volume-browser-highlighted");
        desktop.click("#browser-edit");
        desktop.waitFor("the editor", Duration.ofSeconds(10), () -> desktop.node("#browser-editor").isVisible());

        clickCrumb("/");
        desktop.waitFor("the root", Duration.ofSeconds(20), () -> browser().directoryProperty().get().equals("/") && shows("web"));
        desktop.runFx(() -> browser().enter("/web"));
        desktop.waitFor("web shown", Duration.ofSeconds(20), () -> shows("index.html"));
        desktop.write("#browser-search", "INDEX");
        desktop.waitFor("only the index files", Duration.ofSeconds(10), () -> browser().visible().stream().map(VolumeFile::name)
                .toList().equals(List.of("index.html", "index.mine.html")));
        desktop.screenshotBothThemes("volume-browser-search");
        desktop.write("#browser-search", "");
        desktop.waitFor("everything again", Duration.ofSeconds(10), () -> shows("css") && shows("js"));
    }

    private static void clickCrumb(String label) {
        Button crumb = desktop.onFx(() -> desktop.<javafx.scene.layout.HBox>node("#browser-breadcrumbs").getChildren().stream()
                .filter(n -> n instanceof Button b && b.getText().equals(label)).map(Button.class::cast).findFirst().orElseThrow());
        desktop.robot().clickOn(crumb);
    }

    @Test
    @Order(7)
    void entriesDraggedOutLandAsLocalFilesWithTheSameBytesAndTooMuchIsExplained() throws Exception {
        desktop.runFx(() -> browser().enter("/web"));
        desktop.waitFor("web shown", Duration.ofSeconds(20), () -> shows("index.html") && shows("js"));
        desktop.settle();
        desktop.runFx(() -> desktop.app().volumesView().browser().select("index.html", "js"));
        List<java.io.File> landed = desktop.onFx(() -> desktop.app().volumesView().browser().dragOutFiles());
        assertThat(landed).extracting(java.io.File::getName).containsExactlyInAnyOrder("index.html", "js");
        Path index = landed.stream().filter(f -> f.getName().equals("index.html")).findFirst().orElseThrow().toPath();
        Path js = index.resolveSibling("js");
        assertThat(Files.readString(index)).isEqualTo(engine.docker("run", "--rm", "-v", "site:/d", "busybox", "cat",
                "/d/web/index.html").assertOk().stdout());
        assertThat(Files.readAllBytes(js.resolve("vendor/lib/app.bin"))).containsExactly(0, 1, 2, 3, 0xff);
        assertThat(Files.readString(js.resolve("compose.yaml"))).startsWith("services:");

        engine.docker("run", "--rm", "-v", "site:/d", "busybox", "dd", "if=/dev/zero", "of=/d/web/big.bin", "bs=1M", "count=17")
                .assertOk();
        desktop.runFx(() -> browser().refresh());
        desktop.waitFor("big.bin shown", Duration.ofSeconds(20), () -> shows("big.bin"));
        desktop.settle();
        desktop.runFx(() -> desktop.app().volumesView().browser().select("big.bin"));
        assertThat(desktop.onFx(() -> desktop.app().volumesView().browser().dragOutFiles())).isEmpty();
        assertThat(desktop.onFx(() -> browser().messageProperty().get())).contains("Too much to drag to the desktop");
        desktop.runFx(() -> browser().delete(shown("big.bin")));
        desktop.waitFor("big.bin gone", Duration.ofSeconds(20), () -> !shows("big.bin"));
    }

    @Test
    @Order(8)
    void namesTheEngineRefusesAreExplained() {
        desktop.runFx(() -> browser().enter("/"));
        desktop.waitFor("the root", Duration.ofSeconds(20), () -> shows("seed.txt"));
        desktop.runFx(() -> browser().newFolder(".."));
        desktop.waitFor("the mkdir refusal", Duration.ofSeconds(20), () -> browser().messageProperty().get().startsWith("Could not create .."));
        String mkdir = desktop.onFx(() -> browser().messageProperty().get());
        assertThat(mkdir).contains("..").hasSizeGreaterThan("Could not create ..: ".length() + 5);
        desktop.runFx(() -> browser().rename(shown("seed.txt"), "../../escaped.txt"));
        desktop.waitFor("the rename refusal", Duration.ofSeconds(20),
                () -> browser().messageProperty().get().startsWith("Could not rename seed.txt"));
        desktop.screenshotBothThemes("volume-browser-refused");
        assertThat(engine.docker("run", "--rm", "-v", "site:/d", "busybox", "ls", "/d").assertOk().stdout()).contains("seed.txt")
                .doesNotContain("escaped");
    }

    @Test
    @Order(9)
    void aLongUploadCancelledHalfWayLeavesNothingInTheVolume() throws Exception {
        // A sparse 4 GiB file: cheap to make and to read, far longer to send than a click takes.
        Path huge = local.resolve("huge.bin");
        try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(4L << 30);
        }
        desktop.runFx(() -> browser().enter("/web"));
        desktop.waitFor("web shown", Duration.ofSeconds(20), () -> shows("index.html"));
        desktop.runFx(() -> desktop.app().volumesView().browser().drop(List.of(huge.toFile())));
        desktop.waitFor("the upload under way", Duration.ofSeconds(30), () -> browser().progressProperty().get() > 0.001);
        desktop.click("#browser-cancel");
        awaitIdle();
        String message = desktop.onFx(() -> browser().messageProperty().get());
        assertThat(message).isEqualTo("Upload huge.bin cancelled.");
        String files = engine.docker("run", "--rm", "-v", "site:/d", "busybox", "find", "/d").assertOk().stdout();
        assertThat(files).doesNotContain("huge.bin").doesNotContain(".muelle-upload-").contains("/d/web/index.html");
        Files.delete(huge);
    }

    @Test
    @Order(10)
    void aFolderDraggedFromAnotherWindowOntoTheTableIsUploaded() throws Exception {
        // As real as Xvfb allows: a second window puts a nested folder on a real drag board, as a file
        // manager would, and the robot drags it with the mouse onto the file table.
        Path photos = Files.createDirectories(local.resolve("photos/2026/nov"));
        Files.writeString(photos.resolve("list.txt"), "one\ntwo\n");
        Files.write(photos.getParent().resolve("raw.bin"), new byte[] {9, 8, 7});
        desktop.runFx(() -> browser().enter("/"));
        desktop.waitFor("the root", Duration.ofSeconds(20), () -> shows("seed.txt"));
        javafx.stage.Stage source = desktop.onFx(() -> {
            javafx.scene.control.Label label = new javafx.scene.control.Label("photos");
            label.setId("drag-source");
            label.setPrefSize(160, 80);
            label.setOnDragDetected(e -> {
                javafx.scene.input.Dragboard board = label.startDragAndDrop(javafx.scene.input.TransferMode.COPY);
                javafx.scene.input.ClipboardContent content = new javafx.scene.input.ClipboardContent();
                content.putFiles(List.of(local.resolve("photos").toFile()));
                board.setContent(content);
                e.consume();
            });
            return otherWindow(label);
        });
        try {
            desktop.settle();
            Node label = desktop.node("#drag-source");
            Node table = desktop.node("#browser-files");
            desktop.robot().drag(label, javafx.scene.input.MouseButton.PRIMARY).moveBy(30, 0).moveTo(table)
                    .release(javafx.scene.input.MouseButton.PRIMARY);
            awaitIdle();
            desktop.waitFor("photos uploaded", Duration.ofSeconds(30), () -> shows("photos"));
        } finally {
            desktop.runFx(source::close);
        }
        assertThat(engine.docker("run", "--rm", "-v", "site:/d", "busybox", "sh", "-c",
                "cd /d/photos && find . | sort && cat 2026/nov/list.txt && od -An -tx1 2026/raw.bin").assertOk().stdout())
                .isEqualTo(".\n./2026\n./2026/nov\n./2026/nov/list.txt\n./2026/raw.bin\none\ntwo\n 09 08 07\n");

        // The same folder again, changed: it merges into the one in the volume (staged, then moved entry by entry).
        Files.writeString(photos.resolve("list.txt"), "three\n");
        Files.writeString(Files.createDirectories(photos.resolveSibling("dec")).resolve("new.txt"), "new\n");
        Files.delete(photos.getParent().resolve("raw.bin"));
        desktop.runFx(() -> desktop.app().volumesView().browser().drop(List.of(local.resolve("photos").toFile())));
        awaitIdle();
        assertThat(desktop.onFx(() -> browser().messageProperty().get())).isEmpty();
        assertThat(engine.docker("run", "--rm", "-v", "site:/d", "busybox", "sh", "-c",
                "cd /d && find . -path './photos*' -o -name '.muelle-upload-*' | sort && cat photos/2026/nov/list.txt").assertOk()
                .stdout()).isEqualTo("./photos\n./photos/2026\n./photos/2026/dec\n./photos/2026/dec/new.txt\n./photos/2026/nov\n"
                        + "./photos/2026/nov/list.txt\n./photos/2026/raw.bin\nthree\n");
    }

    @Test
    @Order(11)
    void aRowDraggedOutOfTheTableLandsInAnotherWindowWithItsBytes() throws Exception {
        // The other window stands for the desktop: it accepts files and reads them when they are dropped.
        desktop.runFx(() -> browser().enter("/web"));
        desktop.waitFor("web shown", Duration.ofSeconds(20), () -> shows("index.html"));
        java.util.Map<String, byte[]> landed = new java.util.concurrent.ConcurrentHashMap<>();
        javafx.stage.Stage target = desktop.onFx(() -> {
            javafx.scene.control.Label label = new javafx.scene.control.Label("desktop");
            label.setId("drop-target");
            label.setPrefSize(200, 100);
            label.setOnDragOver(e -> {
                if (e.getDragboard().hasFiles()) {
                    e.acceptTransferModes(javafx.scene.input.TransferMode.COPY);
                }
                e.consume();
            });
            label.setOnDragDropped(e -> {
                for (java.io.File f : e.getDragboard().getFiles()) {
                    try {
                        landed.put(f.getName(), Files.readAllBytes(f.toPath()));
                    } catch (java.io.IOException ex) {
                        landed.put(f.getName(), new byte[0]);
                    }
                }
                e.setDropCompleted(true);
                e.consume();
            });
            return otherWindow(label);
        });
        try {
            desktop.settle();
            java.util.function.Supplier<java.util.Optional<Node>> indexRow = () -> desktop.onFx(() -> desktop.node("#browser-files")
                    .lookupAll(".table-row-cell").stream()
                    .filter(n -> n instanceof javafx.scene.control.TableRow<?> r && r.getItem() instanceof VolumeFile f
                            && f.name().equals("index.html")).findFirst());
            desktop.waitFor("the index.html row drawn", Duration.ofSeconds(20), () -> indexRow.get().isPresent());
            Node row = indexRow.get().orElseThrow();
            desktop.robot().drag(row, javafx.scene.input.MouseButton.PRIMARY).moveBy(30, 0).moveTo("#drop-target")
                    .release(javafx.scene.input.MouseButton.PRIMARY);
            desktop.waitFor("index.html dropped on the other window", Duration.ofSeconds(20), () -> landed.containsKey("index.html"));
        } finally {
            desktop.runFx(target::close);
        }
        byte[] inVolume = engine.docker("run", "--rm", "-v", "site:/d", "busybox", "cat", "/d/web/index.html").assertOk()
                .stdout().getBytes(StandardCharsets.UTF_8);
        assertThat(landed.get("index.html")).isEqualTo(inVolume).isNotEmpty();
        assertThat(landed).containsOnlyKeys("index.html");
    }

    /** A second window below the main one (a file manager or the desktop, for the drag tests) showing {@code content}. */
    private static javafx.stage.Stage otherWindow(javafx.scene.layout.Region content) {
        javafx.stage.Stage stage = new javafx.stage.Stage();
        stage.setScene(new javafx.scene.Scene(new javafx.scene.layout.StackPane(content), 220, 120));
        stage.setX(20);
        stage.setY(600);
        stage.show();
        return stage;
    }

    /** Every file of the volume with its checksum, as a container sees it. */
    private static String tree(String volume) {
        return engine.docker("run", "--rm", "-v", volume + ":/d", "busybox", "sh", "-c",
                "cd /d && find . -type f | sort | xargs md5sum").assertOk().stdout();
    }
}
