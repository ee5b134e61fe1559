package dev.muelle.desktop.shell;

import com.dustinredmond.fxtrayicon.FXTrayIcon;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.GraphicsEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The tray icon (show the window, quit), where the desktop has a system tray.
 *
 * <p>Invariants, because AWT is easy to get wrong next to JavaFX: AWT is only ever touched on a
 * daemon thread of this class, never on the FX thread; asking for a tray and adding the icon each
 * have a deadline, after which the app goes on without one; nothing at all happens where there is
 * no display or no tray. A tray that hangs therefore costs a parked daemon thread, never the UI or
 * the JVM's exit (and {@code Launcher} ends the JVM once the toolkit has exited).
 */
public final class Tray implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Tray.class);
    static final Duration DEADLINE = Duration.ofSeconds(5);

    /** One line of the tray's menu; a null action is a separator. */
    public record Entry(String label, Runnable action) {

        static Entry separator() {
            return new Entry(null, null);
        }

        public boolean isSeparator() {
            return action == null;
        }
    }

    private final AtomicReference<FXTrayIcon> icon = new AtomicReference<>();
    private volatile boolean closed;

    private Tray() {
    }

    /** The tray's menu: Show Muelle (brings the window back), then Quit. */
    public static List<Entry> menu(Runnable show, Runnable quit) {
        return List.of(new Entry("Show Muelle", show), Entry.separator(), new Entry("Quit", quit));
    }

    /**
     * Adds the tray icon in the background, if the desktop has a tray. Returns at once; {@link #close}
     * removes the icon again (call it when the app stops).
     */
    public static Tray installLater(Stage stage, Runnable show, Runnable quit) {
        Tray tray = new Tray();
        Thread t = new Thread(() -> tray.install(stage, menu(show, quit)), "tray");
        t.setDaemon(true);
        t.start();
        return tray;
    }

    private void install(Stage stage, List<Entry> entries) {
        if (!withDeadline("ask for a system tray", Tray::desktopHasTray)) {
            log.info("No system tray on this desktop; running without a tray icon");
            return;
        }
        withDeadline("add the tray icon", () -> {
            if (!closed) {
                icon.set(build(stage, entries));
            }
            return true;
        });
        if (closed) {
            close();
        }
    }

    /** No display means no AWT at all: {@code SystemTray} is not even asked. */
    private static boolean desktopHasTray() {
        if (GraphicsEnvironment.isHeadless() || (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null)) {
            return false;
        }
        return FXTrayIcon.isSupported();
    }

    /** Menu actions go to the FX thread whichever thread (AWT's) reports the click. */
    private static FXTrayIcon build(Stage stage, List<Entry> entries) {
        FXTrayIcon.Builder builder = new FXTrayIcon.Builder(stage, Tray.class.getResource("/dev/muelle/desktop/shell/muelle-32.png"))
                .toolTip("Muelle");
        for (Entry e : entries) {
            builder = e.isSeparator() ? builder.separator() : builder.menuItem(e.label(), ev -> Platform.runLater(e.action()));
        }
        return builder.show().build();
    }

    /**
     * Runs {@code action} on a fresh daemon thread; completes with false when it fails or has not
     * finished within {@code deadline}. Never blocks the caller.
     */
    static CompletableFuture<Boolean> answerWithin(String what, BooleanSupplier action, Duration deadline) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                answer.complete(action.getAsBoolean());
            } catch (RuntimeException | Error e) {
                log.info("Could not {}: {}", what, e.toString());
                answer.complete(false);
            }
        }, "tray-" + what.replace(' ', '-'));
        t.setDaemon(true);
        t.start();
        return answer.completeOnTimeout(false, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@code action} on a daemon thread, waited for at most {@link #DEADLINE}; false if it did not finish. */
    private static boolean withDeadline(String what, BooleanSupplier action) {
        try {
            return answerWithin(what, action, DEADLINE).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** Whether the icon is showing in a tray. */
    public boolean installed() {
        return icon.get() != null;
    }

    /** Removes the icon (so AWT has nothing left to keep alive); safe to call more than once. */
    @Override
    public void close() {
        closed = true;
        FXTrayIcon shown = icon.getAndSet(null);
        if (shown != null) {
            Thread t = new Thread(shown::hide, "tray-remove");
            t.setDaemon(true);
            t.start();
        }
    }
}
