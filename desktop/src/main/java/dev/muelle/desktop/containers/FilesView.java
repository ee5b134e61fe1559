package dev.muelle.desktop.containers;

import dev.muelle.desktop.engine.FileEntry;
import dev.muelle.desktop.text.Formats;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.File;
import java.time.Instant;
import java.util.List;

/** The Files tab: one directory of the container at a time; double click enters, Download saves a file. */
final class FilesView extends VBox implements ContainerDetailView.DetailTab {

    private final FilesViewModel model;
    private final TableView<FileEntry> table = new TableView<>();
    private boolean opened;

    FilesView(FilesViewModel model) {
        this.model = model;
        setSpacing(8);
        setPadding(new javafx.geometry.Insets(8, 0, 0, 0));
        Button up = new Button(null, new FontIcon(Feather.CORNER_LEFT_UP));
        up.setOnAction(e -> model.up());
        Label path = new Label();
        path.setId("files-path");
        path.getStyleClass().add("files-path");
        path.textProperty().bind(model.directoryProperty());
        Button download = new Button("Download", new FontIcon(Feather.DOWNLOAD));
        download.setId("files-download");
        download.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        download.setOnAction(e -> {
            FileEntry entry = table.getSelectionModel().getSelectedItem();
            if (entry == null || entry.directory()) {
                return;
            }
            FileChooser chooser = new FileChooser();
            chooser.setInitialFileName(entry.name());
            File target = chooser.showSaveDialog(getScene().getWindow());
            if (target != null) {
                model.download(entry, target.toPath());
            }
        });
        HBox bar = new HBox(8, up, path, download);
        HBox.setHgrow(path, Priority.ALWAYS);
        path.setMaxWidth(Double.MAX_VALUE);
        bar.setAlignment(Pos.CENTER_LEFT);

        table.setId("files-table");
        TableColumn<FileEntry, String> name = new TableColumn<>("Name");
        name.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().name()
                + (f.getValue().linkTarget() != null ? " → " + f.getValue().linkTarget() : "")));
        name.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                FileEntry entry = empty ? null : getTableRow().getItem();
                setText(empty ? null : text);
                setGraphic(entry == null ? null : new FontIcon(entry.directory() ? Feather.FOLDER
                        : entry.kind() == FileEntry.Kind.SYMLINK ? Feather.LINK : Feather.FILE));
            }
        });
        name.setPrefWidth(320);
        TableColumn<FileEntry, String> size = new TableColumn<>("Size");
        size.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().directory() ? "" : Formats.bytes(f.getValue().size())));
        TableColumn<FileEntry, String> modified = new TableColumn<>("Modified");
        modified.setCellValueFactory(f -> new ReadOnlyStringWrapper(Formats.ago(f.getValue().modifiedEpochSeconds(), Instant.now())));
        modified.setPrefWidth(160);
        TableColumn<FileEntry, String> mode = new TableColumn<>("Mode");
        mode.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().mode()));
        mode.getStyleClass().add("mono");
        table.getColumns().setAll(List.of(name, size, modified, mode));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setItems(model.entries());
        Label placeholder = new Label();
        placeholder.setWrapText(true);
        placeholder.textProperty().bind(model.errorProperty());
        table.setPlaceholder(placeholder);
        table.setRowFactory(t -> {
            TableRow<FileEntry> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && row.getItem() != null) {
                    model.enter(row.getItem());
                }
            });
            return row;
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(bar, table);
    }

    @Override
    public void shown() {
        if (!opened) {
            opened = true;
            model.open("/");
        }
    }

    @Override
    public void hidden() {
    }
}
