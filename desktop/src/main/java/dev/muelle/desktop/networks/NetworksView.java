package dev.muelle.desktop.networks;

import dev.muelle.desktop.engine.NetworkSummary;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.function.Function;

/** The Networks page: a read-only list of the engine's networks. */
public final class NetworksView extends VBox {

    private final TableView<NetworkSummary> table = new TableView<>();

    public NetworksView(NetworksViewModel model) {
        setId("networks-page");
        setSpacing(10);
        setPadding(new Insets(16));
        Label title = new Label("Networks");
        title.getStyleClass().add("title-3");
        Label problem = new Label();
        problem.setWrapText(true);
        problem.textProperty().bind(model.problemProperty());
        table.setId("networks-table");
        table.setItems(model.items());
        table.setPlaceholder(problem);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(List.of(column("Name", v -> v.name(), 220), column("Driver", v -> v.driver(), 120), column("Scope", v -> v.scope(), 100), column("ID", v -> v.id().length() > 12 ? v.id().substring(0, 12) : v.id(), 140)));
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(title, table);
    }

    private static TableColumn<NetworkSummary, String> column(String title, Function<NetworkSummary, String> value, double width) {
        TableColumn<NetworkSummary, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
