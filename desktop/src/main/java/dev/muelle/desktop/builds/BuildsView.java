package dev.muelle.desktop.builds;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.File;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

/**
 * The Builds page: the folder, tags and build args on top; the latest build's steps (each marked
 * cached, built or failed) beside its streamed output; the history of builds below.
 */
public final class BuildsView extends VBox {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    public BuildsView(BuildsViewModel model) {
        setId("builds-page");
        setSpacing(10);
        setPadding(new Insets(16));
        getStylesheets().add(BuildsView.class.getResource("builds.css").toExternalForm());
        Label title = new Label("Builds");
        title.getStyleClass().add("title-3");

        TextField folder = new TextField();
        folder.setId("build-folder");
        folder.setPromptText("A folder with a Dockerfile");
        folder.textProperty().bindBidirectional(model.folderProperty());
        Button choose = new Button("Choose…", new FontIcon(Feather.FOLDER));
        choose.setId("build-choose");
        choose.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Folder to build");
            File current = new File(model.folderProperty().get().trim());
            if (current.isDirectory()) {
                chooser.setInitialDirectory(current);
            }
            File picked = chooser.showDialog(getScene().getWindow());
            if (picked != null) {
                model.folderProperty().set(picked.getAbsolutePath());
            }
        });
        TextField tags = new TextField();
        tags.setId("build-tags");
        tags.setPromptText("app:latest app:1.0");
        tags.textProperty().bindBidirectional(model.tagsProperty());
        TextArea args = new TextArea();
        args.setId("build-args");
        args.setPromptText("NAME=value, one per line");
        args.setPrefRowCount(2);
        args.textProperty().bindBidirectional(model.argsProperty());
        Button build = new Button("Build", new FontIcon(Feather.PLAY));
        build.setId("build-start");
        build.getStyleClass().add("accent");
        build.setDefaultButton(true);
        build.disableProperty().bind(model.canBuild().not());
        build.setOnAction(e -> model.build());
        Button cancel = new Button("Cancel", new FontIcon(Feather.X));
        cancel.setId("build-cancel");
        cancel.disableProperty().bind(model.buildingProperty().not());
        cancel.setOnAction(e -> model.cancel());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.getColumnConstraints().addAll(new ColumnConstraints(), grow(), new ColumnConstraints());
        form.addRow(0, new Label("Folder"), folder, choose);
        form.addRow(1, new Label("Tags"), tags, build);
        form.addRow(2, new Label("Build args"), args, cancel);

        Label message = new Label();
        message.setId("build-message");
        message.getStyleClass().add("build-message");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        message.visibleProperty().bind(model.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());

        ListView<BuildStep> steps = new ListView<>(model.steps());
        steps.setId("build-steps");
        steps.setPlaceholder(new Label("The steps of the build show here."));
        steps.setCellFactory(v -> new StepCell());
        TextArea output = new TextArea();
        output.setId("build-output");
        output.setEditable(false);
        output.getStyleClass().add("mono");
        output.textProperty().bind(model.outputProperty());
        output.textProperty().addListener((o, a, b) -> output.setScrollTop(Double.MAX_VALUE));
        SplitPane live = new SplitPane(steps, output);
        live.setDividerPositions(0.42);
        VBox.setVgrow(live, Priority.ALWAYS);

        Label historyTitle = new Label("History");
        historyTitle.getStyleClass().add("title-4");
        TableView<BuildRecord> history = new TableView<>(model.history());
        history.setId("build-history");
        history.setPrefHeight(230);
        history.setMinHeight(230);
        history.setPlaceholder(new Label("No builds yet."));
        history.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        history.getColumns().setAll(List.of(column("When", r -> WHEN.format(r.when()), 150),
                column("Folder", BuildRecord::folder, 260), column("Tags", r -> String.join(", ", r.tags()), 140),
                column("Result", r -> r.result().name().toLowerCase(java.util.Locale.ROOT), 80),
                column("Image", r -> BuildsViewModel.shortId(r.imageId()), 110),
                column("Steps", r -> r.cachedSteps() + " cached, " + r.builtSteps() + " built"
                        + (r.error().isEmpty() ? "" : " — " + r.error()), 200)));

        getChildren().addAll(title, form, message, live, historyTitle, history);
    }

    private static ColumnConstraints grow() {
        ColumnConstraints c = new ColumnConstraints();
        c.setHgrow(Priority.ALWAYS);
        return c;
    }

    private static TableColumn<BuildRecord, String> column(String name, Function<BuildRecord, String> value, double width) {
        TableColumn<BuildRecord, String> c = new TableColumn<>(name);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** "3/4  COPY b.txt /b.txt" with a badge saying cached, built, failed or running. */
    private static final class StepCell extends ListCell<BuildStep> {
        @Override
        protected void updateItem(BuildStep step, boolean empty) {
            super.updateItem(step, empty);
            if (empty || step == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            Label badge = new Label(step.status().name().toLowerCase());
            badge.getStyleClass().addAll("step-badge", "step-" + step.status().name().toLowerCase());
            badge.setMinWidth(64);
            badge.setAlignment(Pos.CENTER);
            Label text = new Label(step.number() + "/" + step.total() + "  " + step.instruction());
            text.getStyleClass().add("mono");
            HBox row = new HBox(8, badge, text);
            row.setAlignment(Pos.CENTER_LEFT);
            setText(null);
            setGraphic(row);
        }
    }
}
