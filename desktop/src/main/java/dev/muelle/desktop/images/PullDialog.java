package dev.muelle.desktop.images;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The Pull dialog: an image reference, then one progress bar per layer while the engine pulls. */
final class PullDialog {

    private PullDialog() {
    }

    static Stage open(Window owner, PullViewModel model) {
        TextField reference = new TextField();
        reference.setId("pull-reference");
        reference.setPromptText("busybox, localhost:5000/app:1.0 …");
        reference.textProperty().bindBidirectional(model.referenceProperty());
        HBox.setHgrow(reference, Priority.ALWAYS);
        Button pull = new Button("Pull", new FontIcon(Feather.DOWNLOAD_CLOUD));
        pull.setId("pull-start");
        pull.setDefaultButton(true);
        pull.getStyleClass().add("accent");
        pull.disableProperty().bind(model.runningProperty());
        pull.setOnAction(e -> model.pull());
        HBox top = new HBox(8, reference, pull);
        top.setAlignment(Pos.CENTER_LEFT);

        VBox layers = new VBox(6);
        layers.setId("pull-layers");
        model.layers().addListener((ListChangeListener<PullViewModel.LayerProgress>) c -> {
            while (c.next()) {
                for (PullViewModel.LayerProgress layer : c.getAddedSubList()) {
                    Label id = new Label(layer.layer());
                    id.getStyleClass().add("mono");
                    id.setMinWidth(110);
                    ProgressBar bar = new ProgressBar();
                    bar.getStyleClass().add("layer-progress");
                    bar.progressProperty().bind(layer.fractionProperty());
                    bar.setPrefWidth(220);
                    Label status = new Label();
                    status.textProperty().bind(layer.statusProperty());
                    HBox row = new HBox(10, id, bar, status);
                    row.setAlignment(Pos.CENTER_LEFT);
                    layers.getChildren().add(row);
                }
                if (c.wasRemoved() && model.layers().isEmpty()) {
                    layers.getChildren().clear();
                }
            }
        });
        ScrollPane scroll = new ScrollPane(layers);
        scroll.setFitToWidth(true);
        scroll.setPrefHeight(220);
        Label status = new Label();
        status.setId("pull-status");
        status.textProperty().bind(model.statusProperty());
        Label error = new Label();
        error.setId("pull-error");
        error.setWrapText(true);
        error.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        error.getStyleClass().add("danger-text");
        error.textProperty().bind(model.errorProperty());
        error.visibleProperty().bind(Bindings.isNotEmpty(model.errorProperty()));
        error.managedProperty().bind(error.visibleProperty());

        Stage stage = new Stage();
        Button close = new Button("Close");
        close.setId("pull-close");
        close.setOnAction(e -> stage.close());
        HBox bottom = new HBox(close);
        bottom.setAlignment(Pos.CENTER_RIGHT);
        VBox root = new VBox(10, new Label("Image to pull"), top, status, scroll, error, bottom);
        root.setPadding(new Insets(16));
        root.setId("pull-dialog");
        root.getStylesheets().add(PullDialog.class.getResource("/dev/muelle/desktop/images/images.css").toExternalForm());
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("Pull an image");
        stage.setScene(new Scene(root, 620, 420));
        stage.show();
        return stage;
    }
}
