package dev.muelle.desktop.it;

import dev.muelle.desktop.containers.ContainerItem;
import dev.muelle.desktop.shell.MainView;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Window;
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
 * The Run dialog against a real engine: busybox httpd with a published port, a named volume and a
 * 256 MiB limit starts from the form, shows up running with its port, and docker inspect agrees.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunDialogIT extends DesktopTestCase {

    @BeforeAll
    static void start() throws Exception {
        startDesktop(e -> { });
    }


    @Test
    @Order(1)
    void runDialogStartsHttpdWithAPortAVolumeAndAMemoryLimit() throws Exception {
        int hostPort;
        try (ServerSocket s = new ServerSocket(0)) {
            hostPort = s.getLocalPort();
        }
        showImages();
        desktop.screenshotBothThemes("images");
        desktop.runFx(() -> desktop.app().imagesView().select("busybox:latest"));
        desktop.click("#image-run");
        desktop.waitFor("the Run dialog", Duration.ofSeconds(10), () -> desktop.robot().lookup("#run-dialog").tryQuery().isPresent());
        desktop.write("#run-name", "site");
        desktop.write("#run-command", "httpd -f -p 80 -h /var/www");
        desktop.click("#run-add-port");
        desktop.runFx(() -> {
            var vm = runRow("#run-add-port-row-0");
            ((javafx.scene.control.TextField) vm.getChildren().get(0)).setText(String.valueOf(hostPort));
            ((javafx.scene.control.TextField) vm.getChildren().get(2)).setText("80");
        });
        desktop.click("#run-add-volume");
        desktop.runFx(() -> {
            var row = runRow("#run-add-volume-row-0");
            ((javafx.scene.control.ComboBox<?>) row.getChildren().get(0)).getEditor().setText("site-data");
            ((javafx.scene.control.TextField) row.getChildren().get(3)).setText("/var/www");
        });
        desktop.write("#run-memory", "256m");
        javafx.scene.control.TextArea command = desktop.node("#run-command-line");
        String shown = desktop.onFx(command::getText);
        assertThat(shown).isEqualTo("docker run -d --name site -p " + hostPort
                + ":80 -v site-data:/var/www -m 256m busybox:latest httpd -f -p 80 -h /var/www");
        Window dialog = desktop.dialog();
        desktop.screenshot("run-dialog", dialog);
        desktop.click("#run-submit");
        desktop.waitFor("site running in the table", Duration.ofSeconds(60), () -> {
            ContainerItem item = desktop.app().containersModel().items().stream()
                    .filter(i -> i.summary().name().equals("site")).findFirst().orElse(null);
            return item != null && item.summary().running()
                    && item.summary().ports().stream().anyMatch(p -> p.hostPort() != null && p.hostPort() == hostPort);
        });
        assertThat(engine.docker("inspect", "-f", "{{.HostConfig.Memory}}", "site").assertOk().stdout().trim())
                .isEqualTo(String.valueOf(256L << 20));
        assertThat(engine.docker("inspect", "-f", "{{json .HostConfig.PortBindings}}", "site").assertOk().stdout())
                .contains("\"80/tcp\"", "\"HostPort\":\"" + hostPort + "\"");
        assertThat(engine.docker("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}}{{end}}", "site")
                .assertOk().stdout().trim()).isEqualTo("volume site-data /var/www");
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isIn(200, 403, 404);
        desktop.screenshotBothThemes("containers-after-run");
    }

    private static javafx.scene.layout.HBox runRow(String id) {
        return (javafx.scene.layout.HBox) desktop.dialog().getScene().lookup(id);
    }

}
