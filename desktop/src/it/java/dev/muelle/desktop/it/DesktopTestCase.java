package dev.muelle.desktop.it;

import dev.muelle.desktop.shell.MainView;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterAll;

import java.time.Duration;

/**
 * What every desktop UI test class shares: one real engine and one app window for the class,
 * started by {@link #startDesktop} from the class's {@code @BeforeAll} (after it prepared the
 * engine), and both torn down after the class, even when it failed.
 */
abstract class DesktopTestCase {

    static TestEngine engine;
    static DesktopHarness desktop;

    /** A fresh engine, then {@code prepare} (containers, registries ...), then the app on it. */
    static void startDesktop(Preparation prepare) throws Exception {
        engine = TestEngine.start();
        prepare.on(engine);
        desktop = DesktopHarness.start(engine);
    }

    /** Set up what the test class needs on the engine before the app starts. */
    @FunctionalInterface
    interface Preparation {
        void on(TestEngine engine) throws Exception;
    }

    @AfterAll
    static void stopDesktop() throws Exception {
        try {
            if (desktop != null) {
                desktop.close();
            }
        } finally {
            desktop = null;
            if (engine != null) {
                engine.close();
            }
            engine = null;
        }
    }

    /** Wait for the OK/Cancel question ({@code Dialogs.confirm}) and answer OK. */
    static void confirm() {
        awaitConfirmation();
        desktop.click("#confirm-ok");
    }

    static void awaitConfirmation() {
        desktop.waitFor("the confirmation dialog", Duration.ofSeconds(10),
                () -> desktop.robot().lookup("#confirm-ok").tryQuery().isPresent());
    }

    static void showImages() {
        desktop.runFx(() -> desktop.app().mainView().show(MainView.Page.IMAGES));
        desktop.waitFor("the images table", Duration.ofSeconds(20), () -> desktop.app().imagesView() != null
                && !((TableView<?>) desktop.node("#images-table")).getItems().isEmpty());
    }
}
