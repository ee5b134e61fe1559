package dev.muelle.desktop.it;

import dev.muelle.desktop.containers.ContainerItem;
import dev.muelle.desktop.session.EngineSession;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TreeTableView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The desktop against a real Muelle engine, driven through its window on a real X server:
 * table actions and live updates, logs that follow, the terminal, and the engine going away and
 * being started again from the app. Screenshots of each view land in target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainersIT extends DesktopTestCase {

    @BeforeAll
    static void start() throws Exception {
        startDesktop(e -> {
            e.docker("run", "-d", "--name", "web", "busybox", "httpd", "-f", "-p", "80").assertOk();
            e.docker("run", "-d", "--name", "shop-db", "--label", "com.docker.compose.project=shop",
                    "busybox", "sleep", "100000").assertOk();
            e.docker("run", "-d", "--name", "shop-api", "--label", "com.docker.compose.project=shop",
                    "busybox", "sleep", "100000").assertOk();
            e.docker("create", "--name", "idle", "busybox", "true").assertOk();
        });
    }


    private static ContainerItem item(String name) {
        return desktop.onFx(() -> desktop.app().containersModel().items().stream()
                .filter(i -> i.summary().name().equals(name)).findFirst().orElse(null));
    }

    private static String state(String name) {
        ContainerItem item = item(name);
        return item == null ? null : desktop.onFx(() -> item.summary().state());
    }

    private static void selectRow(String name) {
        String id = item(name).id();
        desktop.runFx(() -> desktop.app().containersView().select(id));
        desktop.settle();
    }

    @Test
    @Order(1)
    void tableShowsContainersGroupedByComposeProject() {
        desktop.waitFor("four containers in the table", Duration.ofSeconds(20),
                () -> desktop.app().containersModel().items().size() == 4);
        TreeTableView<Object> table = desktop.node("#containers-table");
        desktop.runFx(() -> {
            var projects = table.getRoot().getChildren().stream().filter(t -> t.getValue() instanceof String).toList();
            assertThat(projects).hasSize(1);
            assertThat(projects.get(0).getValue()).isEqualTo("shop");
            assertThat(projects.get(0).getChildren()).hasSize(2);
        });
        assertThat(state("web")).isEqualTo("running");
        assertThat(state("idle")).isEqualTo("created");
        desktop.waitFor("usage figures of running containers", Duration.ofSeconds(20),
                () -> item("web").usage() != null);
        desktop.screenshotBothThemes("containers");
    }

    @Test
    @Order(2)
    void searchAndFilterNarrowTheTable() {
        desktop.write("#container-search", "shop");
        desktop.waitFor("two shop containers", Duration.ofSeconds(5),
                () -> desktop.app().containersModel().visible().size() == 2);
        desktop.runFx(() -> desktop.app().containersModel().searchProperty().set(""));
        desktop.click("#filter-stopped");
        desktop.waitFor("only the stopped container", Duration.ofSeconds(5),
                () -> desktop.app().containersModel().visible().size() == 1);
        desktop.click("#filter-all");
        desktop.waitFor("all containers", Duration.ofSeconds(5),
                () -> desktop.app().containersModel().visible().size() == 4);
    }

    @Test
    @Order(3)
    void stopStartAndDeleteFromTheTable() {
        selectRow("web");
        desktop.click("#action-stop");
        confirm();
        desktop.waitFor("web stopped", Duration.ofSeconds(30), () -> "exited".equals(state("web")));
        assertThat(engine.docker("inspect", "-f", "{{.State.Status}}", "web").assertOk().stdout().trim()).isEqualTo("exited");

        selectRow("web");
        desktop.click("#action-start");
        desktop.waitFor("web running again", Duration.ofSeconds(30), () -> "running".equals(state("web")));
        assertThat(engine.docker("inspect", "-f", "{{.State.Status}}", "web").assertOk().stdout().trim()).isEqualTo("running");

        selectRow("idle");
        desktop.click("#action-delete");
        confirm();
        desktop.waitFor("idle gone from the table", Duration.ofSeconds(30), () -> item("idle") == null);
        assertThat(engine.docker("ps", "-a", "--filter", "name=idle", "-q").assertOk().stdout()).isBlank();
        assertThat(desktop.app().notifier().recent()).anyMatch(n -> n.startsWith("INFO Delete done"));
    }

    @Test
    @Order(4)
    void tableFollowsChangesMadeWithTheDockerCli() {
        engine.docker("run", "-d", "--name", "from-cli", "busybox", "sleep", "100000").assertOk();
        desktop.waitFor("from-cli appears", Duration.ofSeconds(20), () -> "running".equals(state("from-cli")));
        engine.docker("stop", "-t", "1", "from-cli").assertOk();
        desktop.waitFor("from-cli shown as exited", Duration.ofSeconds(20), () -> "exited".equals(state("from-cli")));
        engine.docker("rm", "from-cli").assertOk();
        desktop.waitFor("from-cli disappears", Duration.ofSeconds(20), () -> item("from-cli") == null);
    }

    @Test
    @Order(5)
    void logsFollowNewLinesAndTerminalRunsACommand() {
        engine.docker("run", "-d", "--name", "talker", "busybox", "sh", "-c",
                "i=0; while true; do echo \"tick $i\"; printf '\\033[32mgreen %s\\033[0m\\n' $i; i=$((i+1)); sleep 1; done").assertOk();
        desktop.waitFor("talker in the table", Duration.ofSeconds(20), () -> "running".equals(state("talker")));
        ContainerItem talker = item("talker");
        desktop.runFx(() -> desktop.app().containersView().openDetail(talker));
        ListView<?> logs = desktop.node("#logs-list");
        desktop.waitFor("first log lines", Duration.ofSeconds(20), () -> logs.getItems().size() >= 2);
        int before = desktop.onFx(() -> logs.getItems().size());
        // New lines arrive while we watch (one "tick" a second): the stream follows.
        desktop.waitFor("more log lines", Duration.ofSeconds(20), () -> logs.getItems().size() >= before + 4
                && logs.getItems().toString().contains("tick 3"));
        desktop.screenshotBothThemes("container-logs");

        desktop.click("#tab-inspect");
        desktop.waitFor("the inspect tree", Duration.ofSeconds(20),
                () -> ((javafx.scene.control.TreeView<?>) desktop.node("#inspect-tree")).getRoot() != null);
        desktop.screenshot("container-inspect");

        desktop.click("#tab-stats");
        Label headline = desktop.node("#stats-headline");
        desktop.waitFor("a stats reading", Duration.ofSeconds(20), () -> headline.getText().startsWith("CPU"));
        desktop.waitFor("a few stats readings in every chart", Duration.ofSeconds(30), () -> desktop.robot()
                .lookup(".chart").queryAllAs(javafx.scene.chart.LineChart.class).stream()
                .allMatch(c -> ((javafx.scene.chart.XYChart.Series<?, ?>) c.getData().get(0)).getData().size() >= 3));
        desktop.screenshot("container-stats");

        desktop.click("#tab-terminal");
        desktop.waitFor("a shell prompt", Duration.ofSeconds(20), () -> screen().contains("#"));
        typeInTerminal("echo hello-$((6*7))\n");
        desktop.waitFor("the command's output", Duration.ofSeconds(20), () -> screen().contains("hello-42"));
        desktop.screenshotBothThemes("container-terminal");

        desktop.click("#tab-files");
        javafx.scene.control.TableView<dev.muelle.desktop.engine.FileEntry> files = desktop.node("#files-table");
        desktop.waitFor("the container's root directory", Duration.ofSeconds(20),
                () -> files.getItems().stream().anyMatch(f -> f.name().equals("etc") && f.directory()));
        // the items arrive before the table has laid out their rows: wait for the row itself
        desktop.waitFor("the etc row drawn", Duration.ofSeconds(20), () -> fileRow("etc").isPresent());
        desktop.robot().doubleClickOn(fileRow("etc").orElseThrow());
        desktop.waitFor("/etc listed", Duration.ofSeconds(20),
                () -> files.getItems().stream().anyMatch(f -> f.path().equals("/etc/passwd")));
        desktop.screenshot("container-files");
        desktop.click("#detail-back");
    }

    private static java.util.Optional<javafx.scene.Node> fileRow(String name) {
        return desktop.robot().lookup("#files-table .table-row-cell")
                .match(n -> n instanceof javafx.scene.control.TableRow<?> row && row.getItem() != null
                        && ((dev.muelle.desktop.engine.FileEntry) row.getItem()).name().equals(name)).tryQuery();
    }

    private static String screen() {
        return desktop.onFx(() -> desktop.app().containersView().terminalScreen());
    }

    private static void typeInTerminal(String text) {
        desktop.robot().clickOn("#terminal");
        desktop.robot().write(text);
        desktop.settle();
    }

    @Test
    @Order(6)
    void saysWhenTheEngineStopsAndStartsItAgain() {
        engine.stop();
        desktop.waitFor("the app notices the engine is gone", Duration.ofSeconds(30),
                () -> desktop.app().session().state() == EngineSession.State.UNREACHABLE);
        desktop.waitFor("the unreachable page", Duration.ofSeconds(10),
                () -> desktop.robot().lookup("#engine-unreachable").tryQuery().map(n -> n.isVisible()).orElse(false));
        Label details = desktop.node("#unreachable-details");
        String detailsText = desktop.onFx(details::getText);
        assertThat(detailsText).contains(engine.dockerHost());
        Label footer = desktop.node("#footer-state");
        String footerText = desktop.onFx(footer::getText);
        assertThat(footerText).contains("stopped");
        desktop.screenshotBothThemes("engine-stopped");

        Button start = desktop.node("#start-engine");
        desktop.click("#start-engine");
        desktop.waitFor("the engine running again", Duration.ofSeconds(90),
                () -> desktop.app().session().state() == EngineSession.State.RUNNING);
        desktop.waitFor("the containers back in the table", Duration.ofSeconds(30),
                () -> item("shop-db") != null);
        assertThat(engine.docker("version", "--format", "{{.Server.Version}}").ok()).isTrue();
        assertThat(start).isNotNull();
    }
}
