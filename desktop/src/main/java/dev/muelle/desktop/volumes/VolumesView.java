package dev.muelle.desktop.volumes;

import dev.muelle.desktop.engine.VolumeSummary;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.function.Function;

/** The Volumes page: a read-only list of the engine's volumes. */
public final class VolumesView extends VBox {

    private final TableView<VolumeSummary> table = new TableView<>();

    public VolumesView(VolumesViewModel model) {
        setId("volumes-page");
        setSpacing(10);
        setPadding(new Insets(16));
        Label title = new Label("Volumes");
        title.getStyleClass().add("title-3");
        Label problem = new Label();
        problem.setWrapText(true);
        problem.textProperty().bind(model.problemProperty());
        table.setId("volumes-table");
        table.setItems(model.items());
        table.setPlaceholder(problem);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(List.of(column("Name", v -> v.name(), 260), column("Driver", v -> v.driver(), 120), column("Mount point", v -> v.mountpoint(), 420)));
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(title, table);
    }

    private static TableColumn<VolumeSummary, String> column(String title, Function<VolumeSummary, String> value, double width) {
        TableColumn<VolumeSummary, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
