package dev.muelle.desktop.it;

import dev.muelle.desktop.images.ImageItem;
import javafx.scene.control.TableView;
import javafx.stage.Popup;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Images page's actions against a real engine and a real local registry: tag, push, the
 * layers/history window, delete and prune (both confirmed first), and the notifications that say
 * an action finished or failed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageActionsIT extends DesktopTestCase {

    private static LocalRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        startDesktop(e -> registry = LocalRegistry.start(e.scratch().resolve("registry")));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private static ImageItem row(String reference) {
        return desktop.onFx(() -> images().getItems().stream().filter(i -> i.reference().equals(reference))
                .findFirst().orElse(null));
    }

    private static TableView<ImageItem> images() {
        return desktop.node("#images-table");
    }

    private static void select(String reference) {
        desktop.waitFor(reference + " in the images table", Duration.ofSeconds(20), () -> row(reference) != null);
        desktop.runFx(() -> desktop.app().imagesView().select(reference));
        desktop.settle();
    }

    private static void waitForNotification(String prefix) {
        desktop.waitFor("a notification starting " + prefix, Duration.ofSeconds(60),
                () -> desktop.app().notifier().recent().stream().anyMatch(n -> n.startsWith(prefix)));
    }

    @Test
    @Order(1)
    void tagAddsANameAndSaysSo() {
        showImages();
        String target = registry.host() + "/demo/busybox:v1";
        tag("busybox:latest", target, "image-tag-dialog");
        assertThat(engine.docker("image", "inspect", "-f", "{{.Id}}", target).assertOk().stdout())
                .isEqualTo(engine.docker("image", "inspect", "-f", "{{.Id}}", "busybox:latest").assertOk().stdout());
    }

    @Test
    @Order(7)
    void theTableFollowsTagsMadeWithTheCli() {
        showImages();
        engine.docker("tag", "busybox:latest", "from-cli:1").assertOk();
        desktop.waitFor("from-cli:1 in the images table", Duration.ofSeconds(20), () -> row("from-cli:1") != null);
        engine.docker("rmi", "from-cli:1").assertOk();
        desktop.waitFor("from-cli:1 gone from the images table", Duration.ofSeconds(20), () -> row("from-cli:1") == null);
    }

    /** Tag through the Tag dialog and wait until the table shows the new name. */
    private static void tag(String source, String target, String screenshot) {
        select(source);
        desktop.click("#image-tag");
        desktop.write("#tag-reference", target);
        if (screenshot != null) {
            desktop.screenshot(screenshot, desktop.dialog());
        }
        desktop.click("#confirm-ok");
        waitForNotification("INFO Tagged " + source + " as " + target);
        desktop.waitFor("the new tag in the table", Duration.ofSeconds(20), () -> row(target) != null);
    }

    @Test
    @Order(2)
    void pushSendsTheTagToTheLocalRegistry() throws Exception {
        String target = registry.host() + "/demo/busybox:v1";
        select(target);
        desktop.click("#image-push");
        waitForNotification("INFO Pushed " + target);
        HttpResponse<String> tags = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + registry.host().replace("localhost", "127.0.0.1") + "/v2/demo/busybox/tags/list"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tags.body()).contains("\"v1\"");
    }

    @Test
    @Order(3)
    void aFailedActionIsShownAsAnErrorNotification() {
        // Port 9 on loopback: nothing listens, so the push fails fast with a connection error.
        tag("busybox:latest", "localhost:9/demo/nowhere:1", null);
        select("localhost:9/demo/nowhere:1");
        desktop.click("#image-push");
        waitForNotification("ERROR Push localhost:9/demo/nowhere:1 failed");
        desktop.waitFor("the error toast on screen", Duration.ofSeconds(10),
                () -> Window.getWindows().stream().anyMatch(w -> w instanceof Popup && w.isShowing()));
        DesktopHarness.sleep(1500); // the toast fades in
        desktop.screenCapture("image-push-failed");
    }

    @Test
    @Order(4)
    void historyShowsTheLayers() {
        select("busybox:latest");
        desktop.screenshotBothThemes("images");
        desktop.click("#image-history");
        TableView<?> history = desktop.node("#history-table");
        desktop.waitFor("the layers", Duration.ofSeconds(20), () -> !history.getItems().isEmpty());
        int layers = desktop.onFx(() -> history.getItems().size());
        int expected = engine.docker("history", "-q", "busybox:latest").assertOk().stdout().trim().split("\\s+").length;
        assertThat(layers).isEqualTo(expected);
        Window window = desktop.onFx(() -> history.getScene().getWindow());
        desktop.screenshot("image-history", window);
        desktop.runFx(window::hide);
    }

    @Test
    @Order(5)
    void deleteAsksFirstThenRemovesTheTag() {
        String target = "localhost:9/demo/nowhere:1";
        select(target);
        desktop.click("#image-delete");
        confirm();
        desktop.waitFor("the tag gone from the table", Duration.ofSeconds(20), () -> row(target) == null);
        waitForNotification("INFO Deleted " + target);
        assertThat(engine.docker("image", "inspect", target).ok()).isFalse();
        assertThat(engine.docker("image", "inspect", "busybox:latest").ok()).isTrue();
    }

    @Test
    @Order(6)
    void pruneRemovesDanglingImages() {
        engine.docker("run", "--name", "scribble", "busybox", "sh", "-c", "echo x > /scribble").assertOk();
        String dangling = engine.docker("commit", "scribble").assertOk().stdout().trim();
        engine.docker("rm", "scribble").assertOk();
        desktop.waitFor("the untagged image in the table", Duration.ofSeconds(20), () -> images().getItems().stream()
                .anyMatch(i -> !i.tagged() && dangling.equals(i.image().id())));
        desktop.click("#image-prune");
        confirm();
        waitForNotification("INFO Pruned images");
        desktop.waitFor("the untagged image gone", Duration.ofSeconds(20), () -> images().getItems().stream()
                .noneMatch(i -> dangling.equals(i.image().id())));
        assertThat(engine.docker("image", "inspect", dangling).ok()).isFalse();
    }
}
