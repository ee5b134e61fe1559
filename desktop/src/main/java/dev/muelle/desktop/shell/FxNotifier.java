package dev.muelle.desktop.shell;

import dev.muelle.desktop.task.Notifier;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Notifications as ControlsFX toasts in the window's bottom-right corner. Errors stay longer than
 * successes. The last messages are also kept in {@link #recent} (the tests read them, and they are
 * logged for the user's log file).
 */
public final class FxNotifier implements Notifier {

    private static final Logger log = LoggerFactory.getLogger(FxNotifier.class);
    private static final int KEEP = 50;
    /** ControlsFX styles its toasts with Modena's colours, which AtlantaFX does not define. */
    private static final String TOAST_CSS = FxNotifier.class.getResource("toasts.css").toExternalForm();

    private final Supplier<Window> owner;
    private final ObservableList<String> recent = FXCollections.observableArrayList();

    public FxNotifier(Supplier<Window> owner) {
        this.owner = owner;
    }

    /** "INFO title: text" / "ERROR title: text", newest last. */
    public ObservableList<String> recent() {
        return recent;
    }

    @Override
    public void info(String title, String text) {
        log.info("{}: {}", title, text);
        remember("INFO " + title + ": " + text);
        toast(title, text).hideAfter(Duration.seconds(4)).showInformation();
    }

    @Override
    public void error(String title, String text) {
        log.warn("{}: {}", title, text);
        remember("ERROR " + title + ": " + text);
        toast(title, text).hideAfter(Duration.seconds(10)).showError();
    }

    private void remember(String line) {
        recent.add(line);
        if (recent.size() > KEEP) {
            recent.remove(0);
        }
    }

    private Notifications toast(String title, String text) {
        Notifications n = Notifications.create().title(title).text(text == null || text.isBlank() ? " " : text)
                .position(Pos.BOTTOM_RIGHT);
        Window w = owner.get();
        if (w != null && w.isShowing()) {
            n.owner(w);
            // the toast's popup takes its stylesheets from the owner's scene
            if (w.getScene() != null && !w.getScene().getStylesheets().contains(TOAST_CSS)) {
                w.getScene().getStylesheets().add(TOAST_CSS);
            }
        }
        return n;
    }
}
