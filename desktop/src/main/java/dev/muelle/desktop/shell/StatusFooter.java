package dev.muelle.desktop.shell;

import dev.muelle.desktop.engine.EngineInfo;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.text.Formats;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;

/**
 * The footer: engine state (running / starting / stopped or unreachable) with a coloured dot, the
 * socket, the engine's name and version, the host's CPUs and memory, and what containers use.
 */
final class StatusFooter extends HBox {

    StatusFooter(EngineSession session, ObservableStringValue usage) {
        getStyleClass().add("status-footer");
        setId("footer");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(12);
        setPadding(new Insets(4, 12, 4, 12));

        Circle dot = new Circle(5);
        dot.getStyleClass().add("state-dot");
        Label state = new Label();
        state.setId("footer-state");
        state.textProperty().bind(Bindings.createStringBinding(() -> switch (session.state()) {
            case RUNNING -> "Engine running";
            case SEARCHING -> "Looking for an engine …";
            case STARTING -> "Engine starting …";
            case UNREACHABLE -> "Engine stopped or unreachable";
        }, session.stateProperty()));
        session.stateProperty().addListener((o, a, s) -> stateClass(dot, s));
        stateClass(dot, session.state());

        Label endpoint = new Label();
        endpoint.setId("footer-endpoint");
        endpoint.textProperty().bind(session.endpointProperty());
        endpoint.visibleProperty().bind(session.stateProperty().isEqualTo(EngineSession.State.RUNNING));

        Label engine = new Label();
        engine.setId("footer-engine");
        engine.textProperty().bind(Bindings.createStringBinding(() -> describe(session.infoProperty().get()),
                session.infoProperty()));
        engine.visibleProperty().bind(endpoint.visibleProperty());
        endpoint.managedProperty().bind(endpoint.visibleProperty());
        engine.managedProperty().bind(endpoint.visibleProperty());
        state.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);

        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label use = new Label();
        use.setId("footer-usage");
        use.textProperty().bind(usage);
        use.visibleProperty().bind(endpoint.visibleProperty());
        use.managedProperty().bind(endpoint.visibleProperty());
        getChildren().addAll(dot, state, endpoint, engine, grow, use);
    }

    private static String describe(EngineInfo info) {
        if (info == null) {
            return "";
        }
        return info.name() + " " + info.version() + " (API " + info.apiVersion() + ") · host: " + info.cpus()
                + " CPUs, " + Formats.bytes(info.memoryTotal());
    }

    private static void stateClass(Circle dot, EngineSession.State s) {
        dot.getStyleClass().removeAll("running", "starting", "stopped");
        dot.getStyleClass().add(switch (s) {
            case RUNNING -> "running";
            case SEARCHING, STARTING -> "starting";
            case UNREACHABLE -> "stopped";
        });
    }
}
