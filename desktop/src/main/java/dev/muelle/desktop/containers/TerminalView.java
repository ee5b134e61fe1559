package dev.muelle.desktop.containers;

import com.techsenger.jeditermfx.ui.JediTermFxWidget;
import com.techsenger.jeditermfx.ui.settings.DefaultSettingsProvider;
import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.ExecSession;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The Terminal tab: an interactive shell in the container (exec with a TTY) in JediTermFX, which
 * handles colours, cursor keys and resizing. The shell is bash when the image has it, else sh.
 * The session starts when the tab is first shown and ends when the detail view closes.
 */
final class TerminalView extends VBox implements ContainerDetailView.DetailTab {

    /** Prefer bash, fall back to sh, as Docker Desktop does. */
    static final List<String> SHELL = List.of("/bin/sh", "-c", "if [ -x /bin/bash ]; then exec /bin/bash; else exec /bin/sh; fi");

    private final EngineClient client;
    private final String containerId;
    private final TaskExecutor tasks;
    private final BooleanSupplier running;
    private final StackPane holder = new StackPane();
    private final Label status = new Label();
    private JediTermFxWidget widget;
    private ExecTtyConnector connector;

    TerminalView(EngineClient client, String containerId, TaskExecutor tasks, BooleanSupplier running) {
        this.client = client;
        this.containerId = containerId;
        this.tasks = tasks;
        this.running = running;
        setId("terminal-view");
        setSpacing(8);
        setPadding(new javafx.geometry.Insets(8, 0, 0, 0));
        Button reconnect = new Button("New session", new FontIcon(Feather.REFRESH_CW));
        reconnect.setOnAction(e -> {
            close();
            connect();
        });
        status.getStyleClass().add("page-summary");
        HBox bar = new HBox(8, reconnect, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        holder.setId("terminal");
        holder.getStyleClass().add("terminal-holder");
        VBox.setVgrow(holder, Priority.ALWAYS);
        getChildren().addAll(bar, holder);
    }

    @Override
    public void shown() {
        if (widget == null) {
            connect();
        }
        if (widget != null) {
            widget.getPreferredFocusableNode().requestFocus();
        }
    }

    @Override
    public void hidden() {
        // The shell keeps running while the user looks at another tab.
    }

    private void connect() {
        if (!running.getAsBoolean()) {
            status.setText("The container is not running: start it to open a shell.");
            holder.getChildren().clear();
            return;
        }
        status.setText("Connecting …");
        BackgroundTask.wrap(() -> client.exec(containerId, SHELL, 100, 30)).withTitle("Open a shell")
                .onSuccess(this::attach)
                .onFailure(e -> status.setText("Could not open a shell: " + Notifier.plainMessage(e)))
                .executeWith(tasks);
    }

    private void attach(ExecSession session) {
        connector = new ExecTtyConnector(session, "shell");
        widget = new JediTermFxWidget(100, 30, new DefaultSettingsProvider());
        widget.setTtyConnector(connector);
        widget.start();
        holder.getChildren().setAll(widget.getPane());
        status.setText("Shell in the container (exec with a TTY). Type exit to end it.");
        widget.getPreferredFocusableNode().requestFocus();
    }

    /** The text on the terminal's screen now (for tests and copy). */
    String screenText() {
        return widget == null ? "" : widget.getTerminalTextBuffer().getScreenLines();
    }

    /** Type into the shell as if from the keyboard. */
    void type(String text) {
        if (connector != null) {
            try {
                connector.write(text);
            } catch (java.io.IOException e) {
                status.setText("The shell has ended.");
            }
        }
    }

    void close() {
        if (widget != null) {
            widget.close();
            widget = null;
        }
        if (connector != null) {
            connector.close();
            connector = null;
        }
    }
}
