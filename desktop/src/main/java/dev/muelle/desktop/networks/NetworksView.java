package dev.muelle.desktop.networks;

import dev.muelle.desktop.engine.NetworkSummary;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Networks page: networks with subnet, gateway and containers (name and address); the
 * selected network's containers below, with connect and disconnect; create and delete.
 */
public final class NetworksView extends VBox {

    private final TableView<NetworkSummary> table = new TableView<>();
    private final TableView<NetworkSummary.Endpoint> endpoints = new TableView<>();

    public NetworksView(NetworksViewModel model) {
        setId("networks-page");
        setSpacing(10);
        setPadding(new Insets(16));
        Label title = new Label("Networks");
        title.getStyleClass().add("title-3");
        Label problem = new Label();
        problem.setWrapText(true);
        problem.textProperty().bind(model.problemProperty());
        Label message = new Label();
        message.setId("networks-message");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        message.visibleProperty().bind(model.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        table.setId("networks-table");
        table.setItems(model.items());
        table.setPlaceholder(problem);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(List.of(column("Name", NetworkSummary::name, 180), column("Driver", NetworkSummary::driver, 80),
                column("Subnet", NetworkSummary::subnet, 130), column("Gateway", NetworkSummary::gateway, 110),
                column("Internal", n -> n.internal() ? "yes" : "", 70),
                column("Containers", n -> n.containers().stream().map(e -> e.containerName() + " " + e.address())
                        .collect(Collectors.joining(", ")), 260)));
        endpoints.setId("network-endpoints");
        endpoints.setPrefHeight(160);
        endpoints.setPlaceholder(new Label("Select a network to see its containers."));
        endpoints.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<NetworkSummary.Endpoint, String> cname = new TableColumn<>("Container");
        cname.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().containerName()));
        TableColumn<NetworkSummary.Endpoint, String> address = new TableColumn<>("Address");
        address.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().address()));
        endpoints.getColumns().setAll(List.of(cname, address));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, n) ->
                endpoints.getItems().setAll(n == null ? List.of() : n.containers()));
        model.items().addListener((javafx.collections.ListChangeListener<NetworkSummary>) c -> {
            NetworkSummary n = table.getSelectionModel().getSelectedItem();
            endpoints.getItems().setAll(n == null ? List.of() : n.containers());
        });

        var none = table.getSelectionModel().selectedItemProperty().isNull();
        Button create = button("Create", Feather.PLUS, "network-create", () -> createDialog(model));
        Button connect = button("Connect container", Feather.LINK, "network-connect", () -> {
            TextInputDialog d = new TextInputDialog();
            d.setHeaderText("Connect a container to " + selected().name());
            d.setContentText("Container name or ID");
            d.initOwner(getScene().getWindow());
            d.showAndWait().map(String::trim).filter(s -> !s.isEmpty()).ifPresent(c -> model.connect(selected(), c));
        });
        Button disconnect = button("Disconnect", Feather.SCISSORS, "network-disconnect", () -> {
            NetworkSummary.Endpoint e = endpoints.getSelectionModel().getSelectedItem();
            if (e != null) {
                model.disconnect(selected(), e);
            }
        });
        disconnect.disableProperty().bind(endpoints.getSelectionModel().selectedItemProperty().isNull());
        Button delete = button("Delete", Feather.TRASH_2, "network-delete", () -> {
            Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, "Delete network " + selected().name() + "?",
                    ButtonType.CANCEL, ButtonType.OK);
            confirm.initOwner(getScene().getWindow());
            confirm.getDialogPane().lookupButton(ButtonType.OK).setId("confirm-ok");
            if (confirm.showAndWait().orElse(ButtonType.CANCEL) == ButtonType.OK) {
                model.delete(selected());
            }
        });
        connect.disableProperty().bind(none);
        delete.disableProperty().bind(none);
        HBox actions = new HBox(6, create, connect, disconnect, delete);
        actions.setAlignment(Pos.CENTER_LEFT);
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(title, actions, message, table, endpoints);
    }

    private NetworkSummary selected() {
        return table.getSelectionModel().getSelectedItem();
    }

    public void select(String name) {
        table.getItems().stream().filter(n -> n.name().equals(name)).findFirst()
                .ifPresent(n -> table.getSelectionModel().select(n));
    }

    private void createDialog(NetworksViewModel model) {
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle("Create network");
        d.initOwner(getScene().getWindow());
        TextField name = new TextField();
        TextField subnet = new TextField();
        subnet.setPromptText("e.g. 172.30.0.0/24 (optional)");
        TextField gateway = new TextField();
        gateway.setPromptText("e.g. 172.30.0.1 (optional)");
        CheckBox internal = new CheckBox("Internal (no outside access)");
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.addRow(0, new Label("Name"), name);
        grid.addRow(1, new Label("Subnet"), subnet);
        grid.addRow(2, new Label("Gateway"), gateway);
        grid.add(internal, 1, 3);
        d.getDialogPane().setContent(grid);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, ButtonType.OK);
        if (d.showAndWait().orElse(ButtonType.CANCEL) == ButtonType.OK && !name.getText().isBlank()) {
            model.create(name.getText().trim(), subnet.getText().trim(), gateway.getText().trim(), internal.isSelected());
        }
    }

    private static Button button(String text, Feather icon, String id, Runnable action) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    private static TableColumn<NetworkSummary, String> column(String title, Function<NetworkSummary, String> value, double width) {
        TableColumn<NetworkSummary, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
