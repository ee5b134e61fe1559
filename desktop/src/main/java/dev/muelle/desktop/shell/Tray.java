package dev.muelle.desktop.shell;

import com.dustinredmond.fxtrayicon.FXTrayIcon;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tray icon (show the window, quit), where the desktop has a system tray. Checking for one
 * starts AWT, which costs a few hundred milliseconds, so it happens off the UI thread after the
 * window is shown.
 */
public final class Tray {

    private static final Logger log = LoggerFactory.getLogger(Tray.class);

    private Tray() {
    }

    public static void installLater(Stage stage, Runnable quit) {
        Thread t = new Thread(() -> {
            boolean supported;
            try {
                supported = FXTrayIcon.isSupported();
            } catch (RuntimeException | Error e) {
                supported = false;
            }
            if (!supported) {
                log.info("No system tray on this desktop; running without a tray icon");
                return;
            }
            Platform.runLater(() -> {
                try {
                    new FXTrayIcon.Builder(stage, Tray.class.getResource("/dev/muelle/desktop/shell/muelle-32.png"))
                            .toolTip("Muelle")
                            .menuItem("Show Muelle", e -> {
                                stage.show();
                                stage.toFront();
                            })
                            .separator()
                            .menuItem("Quit", e -> quit.run())
                            .show()
                            .build();
                } catch (RuntimeException e) {
                    log.info("The tray icon could not be added: {}", e.getMessage());
                }
            });
        }, "tray-check");
        t.setDaemon(true);
        t.start();
    }
}
