package dev.muelle.desktop.it;

import dev.muelle.desktop.containers.ContainerItem;
import dev.muelle.desktop.engine.VolumeSummary;
import dev.muelle.desktop.shell.MainView;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keyboard shortcuts, pressed on the real window: Ctrl+1…6 pages, Ctrl+F search, F5 refresh,
 * Enter opens a container, Delete deletes it after asking, Ctrl+Shift+L switches light/dark (and
 * the Settings page does too).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShortcutsIT extends DesktopTestCase {

    @BeforeAll
    static void start() throws Exception {
        startDesktop(e -> {
            e.docker("volume", "create", "growing").assertOk();
            e.docker("run", "-d", "--name", "writer", "-v", "growing:/data", "busybox", "sleep", "100000").assertOk();
            e.docker("run", "-d", "--name", "doomed", "busybox", "sleep", "100000").assertOk();
        });
    }

    private static void press(KeyCode... keys) {
        desktop.robot().push(keys);
        desktop.settle();
    }

    /** Keys go to the focused window: give the main window focus first. */
    private static void focusMainWindow() {
        desktop.runFx(() -> {
            desktop.app().stage().toFront();
            desktop.app().stage().requestFocus();
        });
        desktop.robot().clickOn("#nav-containers");
        desktop.settle();
    }

    private static void expectPage(MainView.Page page, String nodeId) {
        desktop.waitFor(page.label() + " page", Duration.ofSeconds(20),
                () -> desktop.app().mainView().current() == page
                        && desktop.robot().lookup(nodeId).tryQuery().map(Node::isVisible).orElse(false));
    }

    private static ContainerItem item(String name) {
        return desktop.onFx(() -> desktop.app().containersModel().items().stream()
                .filter(i -> i.summary().name().equals(name)).findFirst().orElse(null));
    }

    @Test
    @Order(1)
    void ctrlDigitsSwitchPages() {
        focusMainWindow();
        press(KeyCode.CONTROL, KeyCode.DIGIT2);
        expectPage(MainView.Page.IMAGES, "#images-page");
        press(KeyCode.CONTROL, KeyCode.DIGIT3);
        expectPage(MainView.Page.VOLUMES, "#volumes-page");
        press(KeyCode.CONTROL, KeyCode.DIGIT4);
        expectPage(MainView.Page.NETWORKS, "#networks-table");
        press(KeyCode.CONTROL, KeyCode.DIGIT6);
        expectPage(MainView.Page.SETTINGS, "#settings-page");
        press(KeyCode.CONTROL, KeyCode.DIGIT1);
        expectPage(MainView.Page.CONTAINERS, "#containers-page");
    }

    @Test
    @Order(2)
    void ctrlFFocusesTheSearchOfThePage() {
        focusMainWindow();
        press(KeyCode.CONTROL, KeyCode.F);
        desktop.waitFor("the containers search focused", Duration.ofSeconds(10),
                () -> desktop.node("#container-search").isFocused());
        press(KeyCode.CONTROL, KeyCode.DIGIT2);
        expectPage(MainView.Page.IMAGES, "#images-page");
        press(KeyCode.CONTROL, KeyCode.F);
        desktop.waitFor("the images search focused", Duration.ofSeconds(10),
                () -> desktop.node("#image-search").isFocused());
        press(KeyCode.CONTROL, KeyCode.DIGIT1);
    }

    @Test
    @Order(3)
    void f5ReloadsWhatNoEventAnnounces() {
        focusMainWindow();
        press(KeyCode.CONTROL, KeyCode.DIGIT3);
        expectPage(MainView.Page.VOLUMES, "#volumes-page");
        desktop.waitFor("the growing volume listed", Duration.ofSeconds(20), () -> volumeSize("growing") >= 0);
        long before = volumeSize("growing");
        // Writing into a volume changes its size without any event the page listens to.
        engine.docker("exec", "writer", "dd", "if=/dev/zero", "of=/data/blob", "bs=1024", "count=3072").assertOk();
        desktop.settle();
        assertThat(volumeSize("growing")).isEqualTo(before);
        press(KeyCode.F5);
        desktop.waitFor("the new size after F5", Duration.ofSeconds(20), () -> volumeSize("growing") >= before + 3 * 1024 * 1024);
        press(KeyCode.CONTROL, KeyCode.DIGIT1);
    }

    private static long volumeSize(String name) {
        return desktop.onFx(() -> desktop.app().volumesModel().items().stream().filter(v -> v.name().equals(name))
                .mapToLong(VolumeSummary::size).findFirst().orElse(-2L));
    }

    @Test
    @Order(4)
    void enterOpensTheSelectedContainer() {
        focusMainWindow();
        selectInTable("writer");
        press(KeyCode.ENTER);
        desktop.node("#logs-list");
        desktop.click("#detail-back");
        desktop.waitFor("back on the list", Duration.ofSeconds(10),
                () -> desktop.robot().lookup("#containers-table").tryQuery().map(Node::isVisible).orElse(false));
    }

    @Test
    @Order(5)
    void deleteAsksFirstAndEscapeKeepsTheContainer() {
        focusMainWindow();
        selectInTable("doomed");
        press(KeyCode.DELETE);
        awaitConfirmation();
        desktop.screenshot("delete-confirmation", desktop.dialog());
        press(KeyCode.ESCAPE);
        desktop.waitFor("the confirmation closed", Duration.ofSeconds(10),
                () -> desktop.robot().lookup("#confirm-ok").tryQuery().isEmpty());
        assertThat(engine.docker("inspect", "doomed").ok()).isTrue();

        selectInTable("doomed");
        press(KeyCode.DELETE);
        confirm();
        desktop.waitFor("doomed gone from the table", Duration.ofSeconds(30), () -> item("doomed") == null);
        assertThat(engine.docker("inspect", "doomed").ok()).isFalse();
    }

    private static void selectInTable(String name) {
        desktop.waitFor(name + " in the table", Duration.ofSeconds(20), () -> item(name) != null);
        String id = item(name).id();
        desktop.runFx(() -> desktop.app().containersView().select(id));
        TreeTableView<?> table = desktop.node("#containers-table");
        desktop.runFx(table::requestFocus);
        desktop.settle();
    }

    @Test
    @Order(6)
    void ctrlShiftLAndTheSettingsPageSwitchTheTheme() {
        focusMainWindow();
        assertThat(dark()).isFalse();
        press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.L);
        desktop.waitFor("the dark theme", Duration.ofSeconds(10), ShortcutsIT::dark);
        assertThat(desktop.onFx(Application::getUserAgentStylesheet)).contains("primer-dark");
        desktop.screenshot("containers-by-shortcut");
        press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.L);
        desktop.waitFor("the light theme", Duration.ofSeconds(10), () -> !dark());
        assertThat(desktop.onFx(Application::getUserAgentStylesheet)).contains("primer-light");

        press(KeyCode.CONTROL, KeyCode.DIGIT6);
        expectPage(MainView.Page.SETTINGS, "#settings-page");
        desktop.click("#theme-dark");
        desktop.waitFor("dark from Settings", Duration.ofSeconds(10), ShortcutsIT::dark);
        desktop.screenshot("settings-theme");
        desktop.click("#theme-light");
        desktop.waitFor("light from Settings", Duration.ofSeconds(10), () -> !dark());
        desktop.screenshot("settings-theme");
    }

    private static boolean dark() {
        return desktop.onFx(() -> desktop.app().theme().dark());
    }
}
