package dev.muelle.desktop.volumes;

import dev.muelle.desktop.engine.VolumeFile;
import dev.muelle.desktop.text.Formats;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One volume as a file manager shows a folder: folder tree, file table with breadcrumbs and
 * search, a preview that edits text and shows images, and a transfer bar. Files and folders
 * dragged from the desktop onto the table or tree are uploaded into the current folder.
 */
public final class VolumeBrowserView extends VBox {

    private static final DateTimeFormatter MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final VolumeBrowserViewModel model;
    private final TableView<VolumeFile> table = new TableView<>();
    private final TreeView<VolumeFile> tree = new TreeView<>();

    public VolumeBrowserView(VolumeBrowserViewModel model, Runnable back) {
        this.model = model;
        setId("volume-browser");
        setSpacing(8);
        getStyleClass().add("volume-browser");

        Button backButton = new Button(null, new FontIcon(Feather.ARROW_LEFT));
        backButton.setId("browser-back");
        backButton.setOnAction(e -> back.run());
        Label title = new Label();
        title.getStyleClass().add("title-4");
        title.textProperty().bind(model.volumeProperty());
        HBox crumbs = new HBox(2);
        crumbs.setId("browser-breadcrumbs");
        crumbs.setAlignment(Pos.CENTER_LEFT);
        model.breadcrumbs().addListener((javafx.collections.ListChangeListener<String>) c -> {
            crumbs.getChildren().clear();
            for (String path : model.breadcrumbs()) {
                String label = path.equals("/") ? "/" : path.substring(path.lastIndexOf('/') + 1);
                Button b = new Button(label);
                b.getStyleClass().addAll("flat", "crumb");
                b.setOnAction(e -> model.enter(path));
                if (!crumbs.getChildren().isEmpty()) {
                    crumbs.getChildren().add(new Label("›"));
                }
                crumbs.getChildren().add(b);
            }
        });
        TextField search = new TextField();
        search.setId("browser-search");
        search.setPromptText("Search this folder");
        search.textProperty().bindBidirectional(model.searchProperty());
        HBox header = new HBox(8, backButton, title, crumbs, grow(), search);
        header.setAlignment(Pos.CENTER_LEFT);

        Button upload = button("Upload", Feather.UPLOAD, "browser-upload", this::chooseUpload);
        Button download = button("Download", Feather.DOWNLOAD, "browser-download", this::chooseDownload);
        Button folder = button("New folder", Feather.FOLDER_PLUS, "browser-mkdir", () -> ask("New folder", "Name", "")
                .ifPresent(model::newFolder));
        Button rename = button("Rename", Feather.EDIT_2, "browser-rename", () -> {
            VolumeFile f = selected();
            ask("Rename " + f.name(), "New name", f.name()).ifPresent(n -> model.rename(f, n));
        });
        Button delete = button("Delete", Feather.TRASH_2, "browser-delete", () -> {
            VolumeFile f = selected();
            if (confirm("Delete " + f.name() + "?", model.deleteQuestion(f))) {
                model.delete(f);
            }
        });
        var none = table.getSelectionModel().selectedItemProperty().isNull();
        download.disableProperty().bind(none);
        rename.disableProperty().bind(none);
        delete.disableProperty().bind(none);
        HBox actions = new HBox(6, upload, download, folder, rename, delete);

        buildTable();
        buildTree();

        Label message = new Label();
        message.setId("browser-message");
        message.setWrapText(true);
        message.getStyleClass().add("browser-message");
        message.textProperty().bind(model.messageProperty());
        message.visibleProperty().bind(model.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());

        ProgressBar progress = new ProgressBar();
        progress.setId("browser-progress");
        progress.progressProperty().bind(model.progressProperty());
        progress.setMaxWidth(Double.MAX_VALUE);
        Button cancel = button("Cancel", Feather.X, "browser-cancel", model::cancelTransfer);
        HBox transfer = new HBox(8, progress, cancel);
        HBox.setHgrow(progress, Priority.ALWAYS);
        transfer.setAlignment(Pos.CENTER_LEFT);
        transfer.visibleProperty().bind(model.transferringProperty());
        transfer.managedProperty().bind(transfer.visibleProperty());

        SplitPane split = new SplitPane(tree, table, previewPane());
        split.setDividerPositions(0.16, 0.66);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(header, actions, message, transfer, split);

        for (var target : List.of(table, tree)) {
            target.setOnDragOver(e -> {
                // Entries dragged out of this table are not uploaded back into it.
                if (e.getDragboard().hasFiles() && e.getGestureSource() != table) {
                    e.acceptTransferModes(TransferMode.COPY);
                }
                e.consume();
            });
            target.setOnDragDropped(this::onDrop);
        }
    }

    /** The drop handler the table and tree register: files and folders from the desktop are uploaded. */
    public void onDrop(DragEvent e) {
        Dragboard board = e.getDragboard();
        boolean accepted = board.hasFiles();
        if (accepted) {
            drop(board.getFiles());
        }
        e.setDropCompleted(accepted);
        e.consume();
    }

    /**
     * Drag-out: the selected entries are copied to local files (bounded, see
     * {@link VolumeBrowserViewModel#dragOut}) and put on the drag board as files, which a file
     * manager or the desktop copies where they are dropped.
     */
    private void onDragDetected(javafx.scene.input.MouseEvent e) {
        List<File> files = dragOutFiles();
        if (!files.isEmpty()) {
            Dragboard board = table.startDragAndDrop(TransferMode.COPY);
            javafx.scene.input.ClipboardContent content = new javafx.scene.input.ClipboardContent();
            content.putFiles(files);
            board.setContent(content);
        }
        e.consume();
    }

    /** The local copies of the selected entries that a drag out of the table carries (tests, drag-out). */
    public List<File> dragOutFiles() {
        List<VolumeFile> chosen = List.copyOf(table.getSelectionModel().getSelectedItems());
        return chosen.isEmpty() ? List.of() : model.dragOut(chosen).stream().map(java.nio.file.Path::toFile).toList();
    }

    /** Upload dropped files and folders into the folder shown. */
    public void drop(List<File> files) {
        model.upload(files.stream().map(File::toPath).toList());
    }

    private VolumeFile selected() {
        return table.getSelectionModel().getSelectedItem();
    }

    /** Select the rows for {@code names} in the folder shown (tests, keyboard). */
    public void select(String... names) {
        table.getSelectionModel().clearSelection();
        List<String> wanted = List.of(names);
        table.getItems().stream().filter(f -> wanted.contains(f.name())).forEach(f -> table.getSelectionModel().select(f));
    }

    private void buildTable() {
        table.setId("browser-files");
        table.setItems(model.visible());
        table.setPlaceholder(new Label("Empty folder. Drop files here to upload them."));
        table.getSelectionModel().setSelectionMode(javafx.scene.control.SelectionMode.MULTIPLE);
        table.setOnDragDetected(this::onDragDetected);
        TableColumn<VolumeFile, String> name = column("Name", f -> f.name()
                + (f.linkTarget() != null ? " → " + f.linkTarget() : ""), 220);
        name.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                VolumeFile f = empty || getTableRow() == null ? null : getTableRow().getItem();
                setText(empty ? null : text);
                setGraphic(f == null ? null : new FontIcon(f.directory() ? Feather.FOLDER
                        : f.type().equals("symlink") ? Feather.LINK : Feather.FILE));
            }
        });
        TableColumn<VolumeFile, String> size = column("Size", f -> f.directory() ? "" : Formats.bytes(f.size()), 70);
        TableColumn<VolumeFile, String> mode = column("Mode", VolumeFile::modeText, 100);
        mode.getStyleClass().add("mono");
        TableColumn<VolumeFile, String> owner = column("Owner", f -> f.uid() + ":" + f.gid(), 80);
        TableColumn<VolumeFile, String> modified = column("Modified", f -> MODIFIED.format(f.modified()), 140);
        // Headers stay readable on a small window: the table scrolls sideways before it truncates them.
        modified.setMinWidth(130);
        mode.setMinWidth(95);
        size.setMinWidth(64);
        owner.setMinWidth(64);
        name.setMinWidth(120);
        table.getColumns().setAll(List.of(name, size, mode, owner, modified));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setRowFactory(t -> {
            TableRow<VolumeFile> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (row.getItem() != null) {
                    if (e.getClickCount() == 2) {
                        model.activate(row.getItem());
                    } else if (!row.getItem().directory()) {
                        model.select(row.getItem());
                    }
                }
            });
            return row;
        });
    }

    private static TableColumn<VolumeFile, String> column(String title, java.util.function.Function<VolumeFile, String> value,
                                                          double width) {
        TableColumn<VolumeFile, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** Folders load when expanded; selecting one shows it in the table. */
    private void buildTree() {
        tree.setId("browser-tree");
        tree.setCellFactory(t -> new javafx.scene.control.TreeCell<>() {
            @Override
            protected void updateItem(VolumeFile f, boolean empty) {
                super.updateItem(f, empty);
                setText(empty || f == null ? null : f.path().equals("/") ? model.volumeProperty().get() : f.name());
                setGraphic(empty || f == null ? null : new FontIcon(Feather.FOLDER));
            }
        });
        model.volumeProperty().addListener((o, a, v) -> {
            TreeItem<VolumeFile> root = folderItem(new VolumeFile(v, "/", "directory", 0, 0755, 0, 0,
                    java.time.Instant.EPOCH, null, null));
            tree.setRoot(root);
            root.setExpanded(true);
        });
        tree.getSelectionModel().selectedItemProperty().addListener((o, a, item) -> {
            if (item != null && !item.getValue().path().equals(model.directoryProperty().get())) {
                model.enter(item.getValue().path());
            }
        });
        // Uploads and new folders change the tree: reload the expanded folders when the folder reloads.
        model.visible().addListener((javafx.collections.ListChangeListener<VolumeFile>) c -> reloadExpanded(tree.getRoot()));
    }

    private TreeItem<VolumeFile> folderItem(VolumeFile folder) {
        TreeItem<VolumeFile> item = new TreeItem<>(folder);
        item.getChildren().add(new TreeItem<>(null));
        item.expandedProperty().addListener((o, was, expanded) -> {
            if (expanded) {
                loadChildren(item);
            }
        });
        return item;
    }

    private void loadChildren(TreeItem<VolumeFile> item) {
        model.folders(item.getValue().path(), folders -> {
            var keep = new java.util.HashMap<String, TreeItem<VolumeFile>>();
            item.getChildren().forEach(c -> {
                if (c.getValue() != null) {
                    keep.put(c.getValue().path(), c);
                }
            });
            item.getChildren().setAll(folders.stream().map(f -> keep.getOrDefault(f.path(), folderItem(f))).toList());
        });
    }

    private void reloadExpanded(TreeItem<VolumeFile> item) {
        if (item != null && item.isExpanded()) {
            loadChildren(item);
            item.getChildren().forEach(this::reloadExpanded);
        }
    }

    /** The paths of the folders the tree shows now (tests). */
    public List<String> treeFolders() {
        List<String> out = new java.util.ArrayList<>();
        collect(tree.getRoot(), out);
        return out;
    }

    private static void collect(TreeItem<VolumeFile> item, List<String> out) {
        if (item == null || item.getValue() == null) {
            return;
        }
        out.add(item.getValue().path());
        item.getChildren().forEach(c -> collect(c, out));
    }

    /** Expand every loaded folder of the tree (tests, "show all"). */
    public void expandAll() {
        expand(tree.getRoot());
    }

    private static void expand(TreeItem<VolumeFile> item) {
        if (item != null && item.getValue() != null) {
            item.setExpanded(true);
            item.getChildren().forEach(VolumeBrowserView::expand);
        }
    }

    private StackPane previewPane() {
        TextArea editor = new TextArea();
        editor.setId("browser-editor");
        editor.getStyleClass().add("mono");
        editor.textProperty().bindBidirectional(model.editorTextProperty());
        Button save = button("Save", Feather.SAVE, "browser-save", model::save);
        save.disableProperty().bind(model.dirtyProperty().not());
        Button copy = button("Save as copy", Feather.COPY, "browser-save-copy", model::saveAsCopy);
        Button reload = button("Reload", Feather.REFRESH_CW, "browser-reload", model::reload);
        Label name = new Label();
        name.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> model.openedProperty().get() == null
                ? "" : model.openedProperty().get().name() + (model.dirtyProperty().get() ? " •" : ""),
                model.openedProperty(), model.dirtyProperty()));
        name.getStyleClass().add("text-bold");
        Button edit = button("Edit", Feather.EDIT, "browser-edit", () -> {
            model.editingProperty().set(true);
            editor.requestFocus();
        });
        edit.visibleProperty().bind(model.editingProperty().not());
        edit.managedProperty().bind(edit.visibleProperty());
        // Wraps rather than truncating the buttons when the preview pane is narrow.
        javafx.scene.layout.FlowPane editBar = new javafx.scene.layout.FlowPane(6, 6, save, copy, reload, edit);
        editBar.setAlignment(Pos.CENTER_LEFT);
        javafx.scene.control.ScrollPane highlighted = highlightedPane();
        StackPane body = new StackPane(editor, highlighted);
        editor.visibleProperty().bind(model.editingProperty());
        highlighted.visibleProperty().bind(model.editingProperty().not());
        VBox text = new VBox(6, name, editBar, body);
        VBox.setVgrow(body, Priority.ALWAYS);
        ImageView image = new ImageView();
        image.setId("browser-image");
        image.setPreserveRatio(true);
        image.setFitWidth(320);
        model.previewBytesProperty().addListener((o, a, bytes) -> image.setImage(bytes == null ? null
                : new Image(new ByteArrayInputStream(bytes))));
        Label other = new Label();
        other.setWrapText(true);
        other.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> switch (model.previewProperty().get()) {
            case NONE -> "Select a file to see it here; text files can be edited.";
            case BINARY -> "A binary file: download it to open it.";
            case TOO_LARGE -> "Too large to preview: download it to open it.";
            default -> "";
        }, model.previewProperty()));
        text.visibleProperty().bind(model.previewProperty().isEqualTo(VolumeBrowserViewModel.Preview.TEXT));
        image.visibleProperty().bind(model.previewProperty().isEqualTo(VolumeBrowserViewModel.Preview.IMAGE));
        other.visibleProperty().bind(text.visibleProperty().or(image.visibleProperty()).not());
        StackPane pane = new StackPane(other, image, text);
        pane.setPadding(new Insets(0, 0, 0, 6));
        return pane;
    }

    /** The opened text, coloured by {@link Highlighter}; a double click starts editing. */
    private javafx.scene.control.ScrollPane highlightedPane() {
        javafx.scene.text.TextFlow flow = new javafx.scene.text.TextFlow();
        flow.setId("browser-highlighted");
        flow.getStyleClass().addAll("mono", "highlighted");
        flow.setPadding(new Insets(6));
        model.highlightsProperty().addListener((o, a, spans) -> flow.getChildren().setAll(texts(model.editorTextProperty().get(), spans)));
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(flow);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("highlighted-scroll");
        scroll.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                model.editingProperty().set(true);
            }
        });
        return scroll;
    }

    /** {@code text} cut into Text nodes: the spans with their style classes, plain runs between them. */
    static List<javafx.scene.text.Text> texts(String text, List<Highlighter.Span> spans) {
        List<javafx.scene.text.Text> out = new java.util.ArrayList<>();
        int at = 0;
        for (Highlighter.Span span : spans) {
            if (span.start() > at) {
                out.add(styled(text.substring(at, span.start()), "hl-plain"));
            }
            out.add(styled(text.substring(span.start(), span.end()), span.style()));
            at = span.end();
        }
        if (at < text.length()) {
            out.add(styled(text.substring(at), "hl-plain"));
        }
        return out;
    }

    private static javafx.scene.text.Text styled(String s, String style) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(s);
        t.getStyleClass().addAll("hl", style);
        return t;
    }

    private void chooseUpload() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Upload into " + model.directoryProperty().get());
        List<File> files = chooser.showOpenMultipleDialog(getScene().getWindow());
        if (files != null && !files.isEmpty()) {
            drop(files);
        }
    }

    private void chooseDownload() {
        VolumeFile f = selected();
        if (f.directory()) {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Download " + f.name() + " into");
            File dir = chooser.showDialog(getScene().getWindow());
            if (dir != null) {
                model.download(f, dir.toPath());
            }
        } else {
            FileChooser chooser = new FileChooser();
            chooser.setInitialFileName(f.name());
            File target = chooser.showSaveDialog(getScene().getWindow());
            if (target != null) {
                model.download(f, target.toPath());
            }
        }
    }

    private java.util.Optional<String> ask(String title, String prompt, String initial) {
        TextInputDialog dialog = new TextInputDialog(initial);
        dialog.setTitle(title);
        dialog.setHeaderText(title);
        dialog.setContentText(prompt);
        dialog.initOwner(getScene().getWindow());
        return dialog.showAndWait().map(String::trim).filter(s -> !s.isEmpty());
    }

    private boolean confirm(String header, String question) {
        return dev.muelle.desktop.dialogs.Dialogs.confirm(this, header, question);
    }

    static Button button(String text, Feather icon, String id, Runnable action) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    private static javafx.scene.layout.Region grow() {
        javafx.scene.layout.Region r = new javafx.scene.layout.Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
