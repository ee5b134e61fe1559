package dev.muelle.desktop.settings;

import dev.muelle.desktop.session.EngineSession;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The Settings page: theme, which engine socket to use, and how Start engine starts one. */
public final class SettingsView extends VBox {

    public SettingsView(SettingsViewModel model, EngineSession session) {
        setId("settings-page");
        setSpacing(18);
        setPadding(new Insets(16));
        Label title = new Label("Settings");
        title.getStyleClass().add("title-3");

        ToggleGroup themes = new ToggleGroup();
        HBox themeBox = new HBox(16);
        for (Settings.Theme t : Settings.Theme.values()) {
            RadioButton r = new RadioButton(switch (t) {
                case SYSTEM -> "Follow the system";
                case LIGHT -> "Light";
                case DARK -> "Dark";
            });
            r.setId("theme-" + t.name().toLowerCase());
            r.setToggleGroup(themes);
            r.setSelected(model.themeProperty().get() == t);
            r.setOnAction(e -> model.themeProperty().set(t));
            model.themeProperty().addListener((o, a, b) -> r.setSelected(b == t));
            themeBox.getChildren().add(r);
        }

        TextField socket = new TextField();
        socket.setId("settings-socket");
        socket.setPromptText("unix:///run/muelle/muelle.sock — blank: DOCKER_HOST, Muelle's socket, docker context");
        socket.textProperty().bindBidirectional(model.socketProperty());
        HBox.setHgrow(socket, Priority.ALWAYS);
        Button apply = new Button("Connect", new FontIcon(Feather.LINK));
        apply.setId("settings-connect");
        apply.setOnAction(e -> model.applySocket());
        HBox socketBox = new HBox(8, socket, apply);
        socketBox.setAlignment(Pos.CENTER_LEFT);
        Label connected = new Label();
        connected.getStyleClass().add("page-summary");
        connected.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> session.state() == EngineSession.State.RUNNING ? "Connected to " + session.endpointProperty().get()
                        : "Not connected", session.stateProperty(), session.endpointProperty()));

        TextField command = new TextField();
        command.setId("settings-engine-command");
        command.setPromptText("the command Start engine runs, e.g. /opt/muelle/muelle up --engine-only");
        command.textProperty().bindBidirectional(model.engineCommandProperty());

        GridPane grid = new GridPane();
        grid.setHgap(16);
        grid.setVgap(14);
        grid.addRow(0, new Label("Theme"), themeBox);
        grid.addRow(1, new Label("Engine socket"), socketBox);
        grid.addRow(2, new Label(""), connected);
        grid.addRow(3, new Label("Start engine runs"), command);
        var fields = new javafx.scene.layout.ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(new javafx.scene.layout.ColumnConstraints(150), fields);

        Label keys = new Label("""
                Keyboard: Ctrl+1…5 pages · Ctrl+F search · F5 refresh · Enter open a container · \
                Delete delete the selection · Ctrl+Shift+L light/dark · Ctrl+Q quit""");
        keys.setWrapText(true);
        keys.getStyleClass().add("page-summary");
        getChildren().addAll(title, grid, keys);
    }
}
