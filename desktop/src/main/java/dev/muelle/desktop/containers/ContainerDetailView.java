package dev.muelle.desktop.containers;

import dev.muelle.desktop.engine.ContainerSummary;
import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.function.Consumer;

/**
 * One container in detail: a header with its state and actions, and the tabs Logs, Inspect,
 * Stats, Terminal and Files. Streams (logs, stats) run only while their tab is selected; the
 * terminal's exec session lives until the detail view closes.
 */
final class ContainerDetailView extends VBox {

    private final ContainerItem item;
    private final LogsView logs;
    private final InspectView inspect;
    private final StatsView stats;
    private final TerminalView terminal;
    private final FilesView files;
    private final TabPane tabs = new TabPane();

    ContainerDetailView(ContainerItem item, EngineClient client, TaskExecutor tasks, Notifier notifier,
                        Runnable back, Consumer<ContainersViewModel.Action> act) {
        this.item = item;
        setId("container-detail");
        getStyleClass().add("container-detail");
        setPadding(new Insets(16));
        setSpacing(10);

        Button backButton = new Button("Containers", new FontIcon(Feather.ARROW_LEFT));
        backButton.setId("detail-back");
        backButton.getStyleClass().add("flat");
        backButton.setOnAction(e -> back.run());
        Circle dot = new Circle(6);
        Label name = new Label();
        name.getStyleClass().add("title-3");
        Label sub = new Label();
        sub.getStyleClass().add("page-summary");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox header = new HBox(12, backButton, dot, name, sub, grow);
        header.setAlignment(Pos.CENTER_LEFT);
        for (var action : new ContainersViewModel.Action[] {ContainersViewModel.Action.START, ContainersViewModel.Action.STOP,
                ContainersViewModel.Action.RESTART, ContainersViewModel.Action.DELETE}) {
            Button b = new Button(null, new FontIcon(switch (action) {
                case START -> Feather.PLAY;
                case STOP -> Feather.SQUARE;
                case RESTART -> Feather.ROTATE_CW;
                default -> Feather.TRASH_2;
            }));
            b.setId("detail-" + action.name().toLowerCase());
            b.getStyleClass().addAll("button-icon", action == ContainersViewModel.Action.DELETE ? "danger-flat" : "flat");
            b.setTooltip(new Tooltip(action.label()));
            b.setOnAction(e -> act.accept(action));
            item.summaryProperty().addListener((o, a, s) -> b.setDisable(!ContainersViewModel.applies(action, s)));
            b.setDisable(!ContainersViewModel.applies(action, item.summary()));
            header.getChildren().add(b);
        }
        Consumer<ContainerSummary> show = s -> {
            name.setText(s.name());
            sub.setText(s.image() + " · " + s.shortId() + " · " + s.status());
            dot.getStyleClass().setAll("state-dot", s.state());
        };
        item.summaryProperty().addListener((o, a, s) -> show.accept(s));
        show.accept(item.summary());

        logs = new LogsView(new LogsViewModel(client, item.id(), tasks));
        inspect = new InspectView(new InspectViewModel(client, item.id(), tasks));
        stats = new StatsView(new StatsViewModel(client, item.id(), tasks));
        terminal = new TerminalView(client, item.id(), tasks, () -> item.summary().running());
        files = new FilesView(new FilesViewModel(client, item.id(), tasks, notifier));
        tabs.setId("detail-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getTabs().addAll(tab("Logs", Feather.FILE_TEXT, logs), tab("Inspect", Feather.CODE, inspect),
                tab("Stats", Feather.ACTIVITY, stats), tab("Terminal", Feather.TERMINAL, terminal),
                tab("Files", Feather.FOLDER, files));
        tabs.getSelectionModel().selectedItemProperty().addListener((o, old, now) -> {
            if (old != null) {
                ((DetailTab) old.getContent()).hidden();
            }
            if (now != null) {
                ((DetailTab) now.getContent()).shown();
            }
        });
        VBox.setVgrow(tabs, Priority.ALWAYS);
        getChildren().addAll(header, tabs);
        logs.shown();
    }

    private static Tab tab(String title, Feather icon, javafx.scene.Node content) {
        Tab t = new Tab(title, content);
        t.setGraphic(new FontIcon(icon));
        t.setId("tab-" + title.toLowerCase());
        return t;
    }

    String containerId() {
        return item.id();
    }

    /** Select a tab by title ("Logs", "Terminal" ...). */
    void select(String title) {
        tabs.getTabs().stream().filter(t -> t.getText().equals(title)).findFirst()
                .ifPresent(t -> tabs.getSelectionModel().select(t));
    }

    String terminalScreen() {
        return terminal.screenText();
    }

    /** End every stream and session of this view. */
    void close() {
        logs.hidden();
        stats.hidden();
        terminal.close();
    }

    /** A tab's content: told when it becomes visible and when it is hidden. */
    interface DetailTab {
        void shown();

        void hidden();
    }
}
