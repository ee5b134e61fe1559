package dev.muelle.desktop.containers;

import dev.muelle.desktop.engine.LogLine;
import dev.muelle.desktop.text.AnsiText;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.FileChooser;
import org.controlsfx.control.textfield.TextFields;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.File;
import java.io.IOException;

/** The Logs tab: a virtualised list of lines with ANSI colours, search, follow, timestamps, copy and save. */
final class LogsView extends VBox implements ContainerDetailView.DetailTab {

    /** xterm's 16 base colours, readable on both the light and the dark theme. */
    private static final Color[] BASE = {
        Color.web("#2e3436"), Color.web("#cc0000"), Color.web("#4e9a06"), Color.web("#c4a000"),
        Color.web("#3465a4"), Color.web("#75507b"), Color.web("#06989a"), Color.web("#d3d7cf"),
        Color.web("#555753"), Color.web("#ef2929"), Color.web("#8ae234"), Color.web("#fce94f"),
        Color.web("#729fcf"), Color.web("#ad7fa8"), Color.web("#34e2e2"), Color.web("#eeeeec")};

    private final LogsViewModel model;
    private final ListView<LogLine> list = new ListView<>();

    LogsView(LogsViewModel model) {
        this.model = model;
        setSpacing(8);
        setPadding(new javafx.geometry.Insets(8, 0, 0, 0));
        getStyleClass().add("logs-view");
        TextField search = TextFields.createClearableTextField();
        search.setId("logs-search");
        search.setPromptText("Search the logs");
        search.setPrefWidth(260);
        search.textProperty().bindBidirectional(model.searchProperty());
        ToggleButton follow = new ToggleButton("Follow", new FontIcon(Feather.CHEVRONS_DOWN));
        follow.setId("logs-follow");
        follow.selectedProperty().bindBidirectional(model.followProperty());
        ToggleButton times = new ToggleButton("Timestamps", new FontIcon(Feather.CLOCK));
        times.setId("logs-timestamps");
        times.selectedProperty().bindBidirectional(model.timestampsProperty());
        Button copy = new Button(null, new FontIcon(Feather.COPY));
        copy.setTooltip(new Tooltip("Copy the shown lines"));
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(model.shownText());
            Clipboard.getSystemClipboard().setContent(c);
        });
        Button save = new Button(null, new FontIcon(Feather.SAVE));
        save.setTooltip(new Tooltip("Save the shown lines to a file"));
        save.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setInitialFileName("container.log");
            File f = chooser.showSaveDialog(getScene().getWindow());
            if (f != null) {
                try {
                    model.save(f.toPath());
                } catch (IOException ex) {
                    new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.ERROR,
                            "Could not save " + f + ": " + ex.getMessage()).show();
                }
            }
        });
        Label status = new Label();
        status.getStyleClass().add("page-summary");
        status.textProperty().bind(model.statusProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(8, search, follow, times, grow, status, copy, save);
        bar.setAlignment(Pos.CENTER_LEFT);

        list.setId("logs-list");
        list.getStyleClass().add("logs-list");
        list.setItems(model.shown());
        list.setPlaceholder(new Label("No output yet."));
        // One text line per row: fixed height keeps scrolling cheap with thousands of lines.
        list.setFixedCellSize(22);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(LogLine line, boolean empty) {
                super.updateItem(line, empty);
                setText(null);
                if (empty || line == null) {
                    setGraphic(null);
                    return;
                }
                TextFlow flow = new TextFlow();
                if (line.timestamp() != null) {
                    Text t = new Text(line.timestamp() + "  ");
                    t.getStyleClass().add("log-time");
                    flow.getChildren().add(t);
                }
                for (AnsiText.Run run : AnsiText.parse(line.text())) {
                    Text t = new Text(run.text());
                    t.getStyleClass().add("stderr".equals(line.stream()) ? "log-stderr" : "log-text");
                    // Inline styles, because the page's stylesheet would win over setFill.
                    StringBuilder style = new StringBuilder();
                    if (run.foreground() >= 0 && run.foreground() < 16) {
                        style.append("-fx-fill: ").append(web(BASE[run.foreground()])).append(';');
                    }
                    if (run.bold()) {
                        style.append("-fx-font-weight: bold;");
                    }
                    t.setStyle(style.toString());
                    t.setUnderline(run.underline());
                    flow.getChildren().add(t);
                }
                setGraphic(flow);
            }
        });
        model.shown().addListener((ListChangeListener<LogLine>) c -> {
            if (model.followProperty().get() && !model.shown().isEmpty()) {
                list.scrollTo(model.shown().size() - 1);
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(bar, list);
    }

    private static String web(Color c) {
        return String.format("#%02x%02x%02x", Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                Math.round(c.getBlue() * 255));
    }

    @Override
    public void shown() {
        model.open();
    }

    @Override
    public void hidden() {
        model.close();
    }
}
