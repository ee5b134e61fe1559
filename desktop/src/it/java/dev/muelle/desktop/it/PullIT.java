package dev.muelle.desktop.it;

import dev.muelle.desktop.containers.ContainerItem;
import dev.muelle.desktop.shell.MainView;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Pull dialog against a real engine and a real local registry (docker-registry, filled with
 * skopeo). Needs registry pulls in the engine: excluded from the default run until they are merged
 * ({@code -Ddesktop.it.excludes=none} runs it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PullIT extends DesktopTestCase {

    private static LocalRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        startDesktop(e -> {
            registry = LocalRegistry.start(e.scratch().resolve("registry"));
            registry.push(TestEngine.busyboxTar(), "demo/busybox:1.0");
        });
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }


    @Test
    @Order(2)
    void pullingFromALocalRegistryShowsProgressAndTheImageAppears() {
        showImages();
        desktop.click("#image-pull");
        desktop.waitFor("the Pull dialog", Duration.ofSeconds(10), () -> desktop.robot().lookup("#pull-dialog").tryQuery().isPresent());
        String ref = registry.host() + "/demo/busybox:1.0";
        desktop.write("#pull-reference", ref);
        desktop.click("#pull-start");
        Label status = desktop.node("#pull-status");
        desktop.waitFor("the pull to finish", Duration.ofSeconds(60), () -> status.getText().equals("Pulled " + ref));
        javafx.scene.layout.VBox layers = desktop.node("#pull-layers");
        assertThat(desktop.onFx(() -> layers.getChildren().size())).isGreaterThanOrEqualTo(1);
        desktop.screenshot("pull-dialog", desktop.dialog());
        desktop.waitFor("the pulled image in the table", Duration.ofSeconds(20), () -> desktop.app().imagesView() != null
                && ((TableView<?>) desktop.node("#images-table")).getItems().stream()
                .anyMatch(i -> i.toString().contains(ref)));

        desktop.write("#pull-reference", registry.host() + "/demo/nope:1.0");
        desktop.click("#pull-start");
        Label error = desktop.node("#pull-error");
        desktop.waitFor("a readable error", Duration.ofSeconds(60), () -> !error.getText().isEmpty());
        String errorText = desktop.onFx(error::getText);
        assertThat(errorText).contains("was not found in its registry");
        desktop.screenshot("pull-error", desktop.dialog());
        desktop.click("#pull-close");
    }
}
