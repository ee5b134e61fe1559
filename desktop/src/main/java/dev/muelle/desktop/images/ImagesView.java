package dev.muelle.desktop.images;

import dev.muelle.desktop.dialogs.Dialogs;
import dev.muelle.desktop.engine.ImageLayer;
import dev.muelle.desktop.run.RunDialog;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import dev.muelle.desktop.text.Formats;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import org.controlsfx.control.textfield.TextFields;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Images page: the table of image tags, and the actions Run (opens the Run dialog), Pull,
 * Tag, Push, History, Delete and Prune.
 */
public final class ImagesView extends VBox {

    private final ImagesViewModel model;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final Consumer<String> onStarted;
    private final TableView<ImageItem> table = new TableView<>();
    private final TextField search = TextFields.createClearableTextField();

    /**
     * @param onStarted called with a container ID after the Run dialog started one
     */
    public ImagesView(ImagesViewModel model, TaskExecutor tasks, Notifier notifier, Consumer<String> onStarted) {
        this.model = model;
        this.tasks = tasks;
        this.notifier = notifier;
        this.onStarted = onStarted;
        setId("images-page");
        setSpacing(10);
        setPadding(new Insets(16));
        getStylesheets().add(ImagesView.class.getResource("/dev/muelle/desktop/images/images.css").toExternalForm());
        Label title = new Label("Images");
        title.getStyleClass().add("title-3");
        Label count = new Label();
        count.getStyleClass().add("page-summary");
        model.items().addListener((ListChangeListener<ImageItem>) c -> count.setText(model.items().size() + (model.items().size() == 1 ? " tag" : " tags")));

        search.setId("image-search");
        search.setPromptText("Search images  (Ctrl+F)");
        search.setPrefWidth(260);
        search.textProperty().bindBidirectional(model.searchProperty());
        Button run = button("image-run", "Run", Feather.PLAY, "Run a container from the selected image (Ctrl+R)");
        run.getStyleClass().add("accent");
        run.setOnAction(e -> openRun());
        Button pull = button("image-pull", "Pull", Feather.DOWNLOAD_CLOUD, "Pull an image from a registry");
        pull.setOnAction(e -> openPull());
        Button tag = button("image-tag", null, Feather.TAG, "Tag the selected image");
        tag.setOnAction(e -> openTag());
        Button push = button("image-push", null, Feather.UPLOAD_CLOUD, "Push the selected tag to its registry");
        push.setOnAction(e -> {
            ImageItem item = one();
            if (item != null) {
                model.push(item, line -> { });
            }
        });
        Button history = button("image-history", null, Feather.LAYERS, "Layers and history of the selected image");
        history.setOnAction(e -> openHistory());
        Button delete = button("image-delete", null, Feather.TRASH_2, "Delete the selected images");
        delete.getStyleClass().add("danger-flat");
        delete.setOnAction(e -> confirmDelete());
        Button prune = button("image-prune", "Prune", Feather.SCISSORS, "Remove dangling images");
        prune.setOnAction(e -> {
            if (Dialogs.confirm(this, "Prune images", "Remove all dangling (untagged, unused) images?")) {
                model.prune();
            }
        });
        for (Button b : List.of(run, tag, push, history, delete)) {
            b.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        }
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(8, search, grow, run, pull, tag, push, history, delete, prune);
        bar.setAlignment(Pos.CENTER_LEFT);
        HBox header = new HBox(12, title, count);
        header.setAlignment(Pos.BASELINE_LEFT);
        buildTable();
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(header, bar, table);
    }

    private static Button button(String id, String text, Feather icon, String tip) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        return b;
    }

    private void buildTable() {
        table.setId("images-table");
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setItems(model.visible());
        table.setPlaceholder(new Label("No images. Pull one, or load one with docker load."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<ImageItem, String> ref = new TableColumn<>("Repository:Tag");
        ref.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().reference()));
        ref.setPrefWidth(280);
        TableColumn<ImageItem, String> id = new TableColumn<>("ID");
        id.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().image().shortId()));
        id.getStyleClass().add("mono");
        id.setPrefWidth(130);
        TableColumn<ImageItem, String> size = new TableColumn<>("Size");
        size.setCellValueFactory(f -> new ReadOnlyStringWrapper(Formats.bytes(f.getValue().image().size())));
        TableColumn<ImageItem, String> created = new TableColumn<>("Created");
        created.setCellValueFactory(f -> new ReadOnlyStringWrapper(
                Formats.ago(f.getValue().image().createdEpochSeconds(), Instant.now())));
        created.setPrefWidth(150);
        TableColumn<ImageItem, String> usedBy = new TableColumn<>("Used by");
        usedBy.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().usedBy().isEmpty() ? "—"
                : String.join(", ", f.getValue().usedBy())));
        table.getColumns().setAll(List.of(ref, id, size, created, usedBy));
        table.setRowFactory(t -> {
            TableRow<ImageItem> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && row.getItem() != null) {
                    openRun();
                }
            });
            return row;
        });
    }

    private ImageItem one() {
        return table.getSelectionModel().getSelectedItem();
    }

    public void select(String reference) {
        for (ImageItem item : table.getItems()) {
            if (item.reference().equals(reference)) {
                table.getSelectionModel().clearSelection();
                table.getSelectionModel().select(item);
                table.scrollTo(item);
                return;
            }
        }
    }

    public void focusSearch() {
        search.requestFocus();
    }

    /** The Run dialog for the selected image. */
    public void openRun() {
        ImageItem item = one();
        if (item == null || model.session().client() == null) {
            return;
        }
        RunDialog.open(getScene().getWindow(), model.session().client(), model.session().infoProperty().get(),
                item.reference(), tasks, notifier, onStarted);
    }

    public void openPull() {
        PullDialog.open(getScene().getWindow(), model.newPull());
    }

    private void openTag() {
        ImageItem item = one();
        if (item == null) {
            return;
        }
        TextInputDialog dialog = new TextInputDialog(item.repository() + ":new");
        dialog.initOwner(getScene().getWindow());
        dialog.setTitle("Tag image");
        dialog.getEditor().setId("tag-reference");
        dialog.getDialogPane().lookupButton(ButtonType.OK).setId("confirm-ok");
        dialog.setHeaderText("New name for " + item.reference());
        dialog.getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(
                javafx.beans.binding.Bindings.createBooleanBinding(
                        () -> ImagesViewModel.tagProblem(dialog.getEditor().getText()) != null,
                        dialog.getEditor().textProperty()));
        dialog.showAndWait().ifPresent(name -> model.tag(item, name));
    }

    private void confirmDelete() {
        List<ImageItem> targets = List.copyOf(table.getSelectionModel().getSelectedItems());
        if (targets.isEmpty()) {
            return;
        }
        CheckBox force = new CheckBox("Force (also images used by containers)");
        force.setId("image-delete-force");
        if (Dialogs.confirm(this, "Delete images", model.deleteConfirmation(targets), force,
                targets.stream().anyMatch(t -> !t.usedBy().isEmpty()))) {
            model.delete(targets, force.isSelected());
        }
    }

    private void openHistory() {
        ImageItem item = one();
        if (item == null) {
            return;
        }
        model.history(item, layers -> {
            TableView<ImageLayer> t = new TableView<>();
            t.setId("history-table");
            TableColumn<ImageLayer, String> by = new TableColumn<>("Created by");
            by.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().createdBy()));
            by.setPrefWidth(520);
            TableColumn<ImageLayer, String> size = new TableColumn<>("Size");
            size.setCellValueFactory(f -> new ReadOnlyStringWrapper(Formats.bytes(f.getValue().size())));
            TableColumn<ImageLayer, String> when = new TableColumn<>("Created");
            when.setCellValueFactory(f -> new ReadOnlyStringWrapper(Formats.ago(f.getValue().createdEpochSeconds(), Instant.now())));
            TableColumn<ImageLayer, String> layerId = new TableColumn<>("ID");
            layerId.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().id().startsWith("sha256:")
                    ? f.getValue().id().substring(7, 19) : f.getValue().id()));
            t.getColumns().setAll(List.of(layerId, by, size, when));
            t.getItems().setAll(layers);
            t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
            VBox box = new VBox(8, new Label(layers.size() + (layers.size() == 1 ? " layer of " : " layers of ") + item.reference() + ", newest first"), t);
            box.setPadding(new Insets(12));
            VBox.setVgrow(t, Priority.ALWAYS);
            Stage stage = new Stage();
            stage.initOwner(getScene().getWindow());
            stage.initModality(Modality.WINDOW_MODAL);
            stage.setTitle("History of " + item.reference());
            Scene scene = new Scene(box, 860, 420);
            stage.setScene(scene);
            stage.show();
        });
    }
}
