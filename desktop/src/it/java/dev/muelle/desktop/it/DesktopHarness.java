package dev.muelle.desktop.it;

import dev.muelle.desktop.DesktopConfig;
import dev.muelle.desktop.MuelleDesktop;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.settings.Settings;
import dev.muelle.desktop.settings.SettingsStore;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Window;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * The desktop app started for a UI test: a real window on a real X server (Xvfb in CI), pointed
 * at a {@link TestEngine} through {@code DOCKER_HOST}, with its own settings node, no tray.
 *
 * <p>Also what the tests need around it: waiting for a condition, running code on the FX thread,
 * and saving screenshots of windows under {@code desktop/target/screenshots}.
 */
public final class DesktopHarness implements AutoCloseable {

    private final MuelleDesktop app;
    private final FxRobot robot = new FxRobot();
    private final Preferences prefs;

    private DesktopHarness(MuelleDesktop app, Preferences prefs) {
        this.app = app;
        this.prefs = prefs;
    }

    public static DesktopHarness start(TestEngine engine) throws Exception {
        if (System.getenv("DISPLAY") == null || System.getenv("DISPLAY").isBlank()) {
            throw new IllegalStateException("The desktop UI tests need an X server: run them with ./muelle test "
                    + "(which starts Xvfb) or under xvfb-run.");
        }
        Preferences prefs = Preferences.userRoot().node("dev/muelle/desktop-it-" + ProcessHandle.current().pid());
        SettingsStore store = new SettingsStore(prefs);
        store.save(new Settings(Settings.Theme.LIGHT, "", engine.startCommand()));
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", engine.dockerHost());
        env.put("MUELLE_HOST", engine.dockerHost());
        Path home = Files.createDirectories(engine.scratch().resolve("home"));
        DesktopConfig config = new DesktopConfig(env, home, store, "", engine.scratch().resolve("desktop-engine.log"),
                false, false);
        FxToolkit.registerPrimaryStage();
        MuelleDesktop app = (MuelleDesktop) FxToolkit.setupApplication(() -> new MuelleDesktop(config));
        DesktopHarness harness = new DesktopHarness(app, prefs);
        harness.waitFor("the engine is connected", Duration.ofSeconds(30),
                () -> app.session().state() == EngineSession.State.RUNNING && app.containersModel().loadedProperty().get());
        return harness;
    }

    /** Closes the window, then the engine behind it, whichever of the two was started. */
    public static void closeAll(DesktopHarness desktop, TestEngine engine) throws Exception {
        try {
            if (desktop != null) {
                desktop.close();
            }
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
    }

    public MuelleDesktop app() {
        return app;
    }

    public FxRobot robot() {
        return robot;
    }

    /** Wait until {@code condition} holds (checked on the FX thread). */
    public void waitFor(String what, Duration timeout, Callable<Boolean> condition) {
        Instant deadline = Instant.now().plus(timeout);
        Throwable last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (Boolean.TRUE.equals(onFx(condition))) {
                    return;
                }
                last = null;
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            sleep(100);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                + (last == null ? "" : " (last error: " + last + ")"));
    }

    /** Run on the FX thread and return the result. */
    public <T> T onFx(Callable<T> action) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> error = new AtomicReference<>();
        WaitForAsyncUtils.waitForAsyncFx(20_000, () -> {
            try {
                result.set(action.call());
            } catch (Exception e) {
                error.set(e);
            }
        });
        if (error.get() != null) {
            throw new IllegalStateException(error.get());
        }
        return result.get();
    }

    public void runFx(Runnable action) {
        onFx(() -> {
            action.run();
            return null;
        });
    }

    /** Let pending FX work finish (layout, CSS, posted callbacks). */
    public void settle() {
        WaitForAsyncUtils.waitForFxEvents(3);
    }

    /** The node matching {@code query}, waiting for it to appear (skins build on the next pulse). */
    public <T extends Node> T node(String query) {
        waitFor(query + " in the scene", Duration.ofSeconds(15), () -> robot.lookup(query).tryQuery().isPresent());
        return robot.lookup(query).query();
    }

    public void click(String query) {
        robot.clickOn(query);
        settle();
    }

    /** Type into a text field: select what is there and replace it. */
    public void write(String query, String text) {
        robot.clickOn(query);
        robot.lookup(query).queryAs(javafx.scene.control.TextInputControl.class);
        runFx(() -> robot.lookup(query).queryAs(javafx.scene.control.TextInputControl.class).setText(""));
        robot.write(text);
        settle();
    }

    /** Save the scene of {@code window} as {@code target/screenshots/NAME-THEME.png}. */
    public Path screenshot(String name, Window window) {
        settle();
        String theme = onFx(() -> app.theme().dark() ? "dark" : "light");
        Path dir = Path.of(System.getProperty("muelle.screenshots", "target/screenshots"));
        Path file = dir.resolve(name + "-" + theme + ".png");
        WritableImage image = onFx(() -> {
            Scene scene = window.getScene();
            return scene.snapshot(null);
        });
        // A smaller copy for the README (docs/screenshots keeps a few of these).
        WritableImage small = onFx(() -> {
            javafx.scene.SnapshotParameters p = new javafx.scene.SnapshotParameters();
            p.setTransform(javafx.scene.transform.Transform.scale(0.6, 0.6));
            return window.getScene().getRoot().snapshot(p, null);
        });
        save(image, file);
        save(small, dir.resolve("small").resolve(file.getFileName()));
        return file;
    }

    public Path screenshot(String name) {
        return screenshot(name, app.stage());
    }

    /**
     * What the screen shows, popups included (a scene snapshot leaves out the notification toasts,
     * which are windows of their own and may reach past the main window).
     */
    public Path screenCapture(String name) {
        settle();
        String theme = onFx(() -> app.theme().dark() ? "dark" : "light");
        Path file = Path.of(System.getProperty("muelle.screenshots", "target/screenshots")).resolve(name + "-" + theme + ".png");
        javafx.geometry.Rectangle2D bounds = onFx(() -> javafx.stage.Screen.getPrimary().getBounds());
        save(robot.capture(bounds).getImage(), file);
        return file;
    }

    private static void save(javafx.scene.image.Image image, Path file) {
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot save " + file, e);
        }
    }

    /** Screenshots of the main window in both themes; leaves the light theme on. */
    public void screenshotBothThemes(String name) {
        setTheme(Settings.Theme.LIGHT);
        screenshot(name);
        setTheme(Settings.Theme.DARK);
        screenshot(name);
        setTheme(Settings.Theme.LIGHT);
    }

    public void setTheme(Settings.Theme theme) {
        runFx(() -> app.settings().themeProperty().set(theme));
        settle();
    }

    /** The newest window other than the main one (a dialog), or null. */
    public Window dialog() {
        return onFx(() -> Window.getWindows().stream().filter(w -> w != app.stage() && w.isShowing()
                && w instanceof javafx.stage.Stage).reduce((a, b) -> b).orElse(null));
    }

    @Override
    public void close() throws Exception {
        try {
            FxToolkit.cleanupApplication(app);
            FxToolkit.cleanupStages();
        } finally {
            try {
                prefs.removeNode();
            } catch (BackingStoreException | IllegalStateException e) {
                // left in ~/.java; harmless
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void runLater(Runnable r) {
        Platform.runLater(r);
    }
}
