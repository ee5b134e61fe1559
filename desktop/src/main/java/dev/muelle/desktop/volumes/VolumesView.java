package dev.muelle.desktop.volumes;

import dev.muelle.desktop.engine.VolumeSummary;
import dev.muelle.desktop.text.Formats;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputDialog;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;

import java.io.File;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Volumes page: the table of volumes with their actions; Browse (or a double click) opens a
 * volume in the {@link VolumeBrowserView} in its place. "Used by" names are links to the containers.
 */
public final class VolumesView extends StackPane {

    private final VolumesViewModel model;
    private final TableView<VolumeSummary> table = new TableView<>();
    private final VBox listPage = new VBox(10);
    private final VolumeBrowserView browser;

    public VolumesView(VolumesViewModel model, Consumer<String> showContainer) {
        this.model = model;
        setId("volumes-page");
        getStylesheets().add(VolumesView.class.getResource("volumes.css").toExternalForm());
        listPage.setPadding(new Insets(16));
        Label title = new Label("Volumes");
        title.getStyleClass().add("title-3");
        Label problem = new Label();
        problem.setWrapText(true);
        problem.textProperty().bind(model.problemProperty());
        table.setId("volumes-table");
        table.setItems(model.items());
        table.setPlaceholder(problem);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<VolumeSummary, String> usedBy = column("Used by", v -> "", 200);
        usedBy.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                VolumeSummary v = empty || getTableRow() == null ? null : getTableRow().getItem();
                if (v == null || v.usedBy().isEmpty()) {
                    setGraphic(null);
                    return;
                }
                FlowPane links = new FlowPane(4, 0);
                for (String name : v.usedBy()) {
                    Hyperlink link = new Hyperlink(name);
                    link.setOnAction(e -> showContainer.accept(name));
                    links.getChildren().add(link);
                }
                setGraphic(links);
            }
        });
        table.getColumns().setAll(List.of(column("Name", VolumeSummary::name, 220), column("Driver", VolumeSummary::driver, 70),
                column("Size", v -> v.size() < 0 ? "" : Formats.bytes(v.size()), 80),
                column("Created", v -> created(v.created()), 110),
                column("Labels", v -> v.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ")), 160), usedBy));
        table.setRowFactory(t -> {
            TableRow<VolumeSummary> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && row.getItem() != null) {
                    browse(row.getItem().name());
                }
            });
            return row;
        });
        var none = table.getSelectionModel().selectedItemProperty().isNull();
        Button create = VolumeBrowserView.button("Create", Feather.PLUS, "volume-create",
                () -> ask("Create volume", "Name", "").ifPresent(n -> model.create(n, Map.of())));
        Button browse = VolumeBrowserView.button("Browse", Feather.FOLDER, "volume-browse", () -> browse(selected().name()));
        Button export = VolumeBrowserView.button("Export", Feather.ARCHIVE, "volume-export", () -> {
            FileChooser chooser = new FileChooser();
            chooser.setInitialFileName(selected().name() + ".tar");
            File target = chooser.showSaveDialog(getScene().getWindow());
            if (target != null) {
                model.export(selected().name(), target.toPath());
            }
        });
        Button importButton = VolumeBrowserView.button("Import", Feather.INBOX, "volume-import", () -> {
            File tar = new FileChooser().showOpenDialog(getScene().getWindow());
            if (tar != null) {
                ask("Import " + tar.getName(), "New volume name", tar.getName().replaceFirst("\\.tar$", ""))
                        .ifPresent(n -> model.importVolume(n, tar.toPath()));
            }
        });
        Button cloneButton = VolumeBrowserView.button("Clone", Feather.COPY, "volume-clone", () ->
                ask("Clone " + selected().name(), "New volume name", selected().name() + "-copy")
                        .ifPresent(n -> model.cloneVolume(selected().name(), n)));
        Button delete = VolumeBrowserView.button("Delete", Feather.TRASH_2, "volume-delete", () -> {
            if (confirm("Delete volume?", model.deleteQuestion(selected()))) {
                model.delete(selected());
            }
        });
        Button prune = VolumeBrowserView.button("Prune", Feather.SCISSORS, "volume-prune", () -> {
            if (confirm("Prune volumes?", "Delete every volume no container uses, with all its files?")) {
                model.prune();
            }
        });
        for (Button b : List.of(browse, export, cloneButton, delete)) {
            b.disableProperty().bind(none);
        }
        HBox actions = new HBox(6, create, browse, export, importButton, cloneButton, delete, prune);
        actions.setAlignment(Pos.CENTER_LEFT);
        VBox.setVgrow(table, Priority.ALWAYS);
        listPage.getChildren().addAll(title, actions, table);

        browser = new VolumeBrowserView(model.browser(), this::closeBrowser);
        browser.setPadding(new Insets(16));
        getChildren().setAll(listPage);
    }

    private VolumeSummary selected() {
        return table.getSelectionModel().getSelectedItem();
    }

    /** Open {@code volume} in the browser. */
    public void browse(String volume) {
        model.browser().open(volume);
        getChildren().setAll(browser);
    }

    public void closeBrowser() {
        getChildren().setAll(listPage);
        model.refresh();
    }

    public VolumeBrowserView browser() {
        return browser;
    }

    public void select(String volume) {
        table.getItems().stream().filter(v -> v.name().equals(volume)).findFirst()
                .ifPresent(v -> table.getSelectionModel().select(v));
    }

    static String created(String rfc3339) {
        try {
            return Formats.ago(OffsetDateTime.parse(rfc3339).toEpochSecond(), Instant.now());
        } catch (RuntimeException e) {
            return rfc3339;
        }
    }

    private Optional<String> ask(String title, String prompt, String initial) {
        TextInputDialog dialog = new TextInputDialog(initial);
        dialog.setTitle(title);
        dialog.setHeaderText(title);
        dialog.setContentText(prompt);
        dialog.getEditor().setId("ask-input");
        dialog.getDialogPane().lookupButton(ButtonType.OK).setId("confirm-ok");
        dialog.initOwner(getScene().getWindow());
        return dialog.showAndWait().map(String::trim).filter(s -> !s.isEmpty());
    }

    private boolean confirm(String header, String question) {
        return dev.muelle.desktop.dialogs.Dialogs.confirm(this, header, question);
    }

    private static TableColumn<VolumeSummary, String> column(String title, Function<VolumeSummary, String> value, double width) {
        TableColumn<VolumeSummary, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
