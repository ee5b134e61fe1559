package dev.muelle.desktop.shell;

import dev.muelle.desktop.session.EngineSession;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The page shown instead of the features while no engine answers: what happened, what was tried,
 * what to do, and a Start engine button.
 */
final class EngineUnreachableView extends VBox {

    EngineUnreachableView(EngineSession session, Runnable openSettings) {
        setId("engine-unreachable");
        getStyleClass().add("engine-unreachable");
        setAlignment(Pos.CENTER);
        setSpacing(16);
        setPadding(new Insets(40));
        setMaxWidth(760);

        FontIcon icon = new FontIcon(Feather.POWER);
        icon.getStyleClass().add("unreachable-icon");
        Label title = new Label();
        title.getStyleClass().add("title-2");
        title.setId("unreachable-title");
        Label details = new Label();
        details.setId("unreachable-details");
        details.setWrapText(true);
        details.textProperty().bind(session.problemProperty());
        details.getStyleClass().add("unreachable-details");

        Button start = new Button("Start engine", new FontIcon(Feather.PLAY));
        start.setId("start-engine");
        start.getStyleClass().add("accent");
        start.setDefaultButton(true);
        start.setOnAction(e -> session.startEngine());
        Button retry = new Button("Try again", new FontIcon(Feather.REFRESH_CW));
        retry.setId("retry-engine");
        retry.setOnAction(e -> session.connect());
        Button settings = new Button("Choose a socket …", new FontIcon(Feather.SETTINGS));
        settings.setOnAction(e -> openSettings.run());
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(28, 28);
        HBox actions = new HBox(10, start, retry, settings, spinner);
        actions.setAlignment(Pos.CENTER);

        Runnable update = () -> {
            EngineSession.State s = session.state();
            boolean busy = s == EngineSession.State.STARTING || s == EngineSession.State.SEARCHING;
            title.setText(switch (s) {
                case STARTING -> "Starting the engine …";
                case SEARCHING -> "Looking for an engine …";
                default -> "The engine is not running";
            });
            spinner.setVisible(busy);
            start.setDisable(busy);
            retry.setDisable(busy);
        };
        session.stateProperty().addListener((o, a, b) -> update.run());
        update.run();
        getChildren().addAll(icon, title, details, actions);
    }
}
