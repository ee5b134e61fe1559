package dev.muelle.desktop.run;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.EngineInfo;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import dev.muelle.desktop.text.Formats;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.controlsfx.validation.ValidationSupport;
import org.controlsfx.validation.Validator;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.File;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Run dialog's window: binds a {@link RunViewModel} to a form. The Run button stays off while
 * the view-model reports problems; ControlsFX decorations mark the fields at fault.
 */
public final class RunDialog {

    private RunDialog() {
    }

    /** Open the dialog for {@code image}; {@code onStarted} gets the new container's ID. */
    public static Stage open(Window owner, EngineClient client, EngineInfo host, String image, TaskExecutor tasks,
                             Notifier notifier, Consumer<String> onStarted) {
        RunViewModel model = new RunViewModel(client, host, image, tasks, notifier);
        model.loadChoices();
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("Run " + image);
        stage.setScene(new Scene(form(model, host, stage, onStarted), 760, 720));
        stage.getScene().setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                stage.close();
            }
        });
        stage.show();
        return stage;
    }

    private static VBox form(RunViewModel model, EngineInfo host, Stage stage, Consumer<String> onStarted) {
        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(10);
        ColumnConstraints labels = new ColumnConstraints(130);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, fields);
        ValidationSupport validation = new ValidationSupport();
        int row = 0;

        TextField name = field("run-name", "optional, e.g. web", model.nameProperty());
        validation.registerValidator(name, false, Validator.createPredicateValidator(
                (String v) -> v == null || v.isBlank() || v.trim().matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*"),
                "Letters, digits and _ . - only"));
        grid.addRow(row++, label("Name"), name);
        TextField command = field("run-command", "optional, e.g. httpd -f -p 80", model.commandProperty());
        grid.addRow(row++, label("Command"), command);

        grid.addRow(row++, label("Ports"), rows(model.ports(), model::addPort, "run-add-port", "Add port", r -> {
            TextField hostPort = field(null, "host (any)", r.hostPort);
            hostPort.setPrefWidth(110);
            TextField containerPort = field(null, "container", r.containerPort);
            containerPort.setPrefWidth(110);
            ChoiceBox<String> protocol = new ChoiceBox<>();
            protocol.getItems().addAll("tcp", "udp");
            protocol.valueProperty().bindBidirectional(r.protocol);
            return new HBox(6, hostPort, new Label(":"), containerPort, protocol);
        }));
        grid.addRow(row++, label("Volumes"), rows(model.mounts(), model::addMount, "run-add-volume", "Add volume", r -> {
            ComboBox<String> source = new ComboBox<>(model.volumeNames());
            source.setEditable(true);
            source.setPromptText("volume name or /host/folder");
            source.setPrefWidth(200);
            source.getEditor().textProperty().bindBidirectional(r.source);
            Button browse = new Button(null, new FontIcon(Feather.FOLDER));
            browse.setTooltip(new Tooltip("Choose a host folder"));
            browse.setOnAction(e -> {
                File dir = new DirectoryChooser().showDialog(stage);
                if (dir != null) {
                    r.source.set(dir.getAbsolutePath());
                }
            });
            TextField target = field(null, "/path/in/container", r.target);
            target.setPrefWidth(150);
            CheckBox readOnly = new CheckBox("read-only");
            readOnly.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            readOnly.selectedProperty().bindBidirectional(r.readOnly);
            HBox box = new HBox(6, source, browse, new Label("→"), target, readOnly);
            box.setAlignment(Pos.CENTER_LEFT);
            return box;
        }));
        grid.addRow(row++, label("Environment"), rows(model.environment(), model::addEnv, "run-add-env", "Add variable", r -> {
            TextField key = field(null, "NAME", r.key);
            key.setPrefWidth(160);
            TextField value = field(null, "value", r.value);
            HBox.setHgrow(value, Priority.ALWAYS);
            return new HBox(6, key, new Label("="), value);
        }));

        TextField memory = field("run-memory", "e.g. 256m", model.memoryProperty());
        memory.setPrefWidth(120);
        validation.registerValidator(memory, false, Validator.createPredicateValidator(
                (String v) -> v == null || v.isBlank() || MemorySize.parse(v) >= 6 * 1024 * 1024
                        && (host == null || host.memoryTotal() <= 0 || MemorySize.parse(v) <= host.memoryTotal()),
                "A size such as 256m, at most the host's memory"));
        TextField cpus = field("run-cpus", "e.g. 0.5", model.cpusProperty());
        cpus.setPrefWidth(90);
        Label bounds = new Label(host == null ? "" : "host: " + Formats.bytes(host.memoryTotal()) + ", " + host.cpus() + " CPUs");
        bounds.getStyleClass().add("hint");
        HBox limits = new HBox(8, new Label("Memory"), memory, new Label("CPUs"), cpus, bounds);
        limits.setAlignment(Pos.CENTER_LEFT);
        grid.addRow(row++, label("Limits"), limits);

        ChoiceBox<String> restart = new ChoiceBox<>();
        restart.setId("run-restart");
        restart.getItems().addAll(RunViewModel.RESTART_POLICIES);
        restart.valueProperty().bindBidirectional(model.restartPolicyProperty());
        ComboBox<String> network = new ComboBox<>(model.networkNames());
        network.setId("run-network");
        network.setEditable(true);
        network.setPromptText("default");
        network.getEditor().textProperty().bindBidirectional(model.networkProperty());
        HBox policy = new HBox(8, restart, new Label("Network"), network);
        policy.setAlignment(Pos.CENTER_LEFT);
        grid.addRow(row++, label("Restart policy"), policy);

        CheckBox interactive = new CheckBox("Keep stdin open (-i)");
        interactive.setId("run-interactive");
        interactive.selectedProperty().bindBidirectional(model.interactiveProperty());
        CheckBox tty = new CheckBox("Allocate a terminal (-t)");
        tty.setId("run-tty");
        tty.selectedProperty().bindBidirectional(model.ttyProperty());
        grid.addRow(row++, label("Interactive"), new HBox(16, interactive, tty));

        Label problems = new Label();
        problems.setId("run-problems");
        problems.setWrapText(true);
        problems.getStyleClass().add("problems");
        problems.textProperty().bind(Bindings.createStringBinding(
                () -> String.join("\n", model.problems()), model.problems()));
        problems.visibleProperty().bind(Bindings.isNotEmpty(model.problems()));
        problems.managedProperty().bind(problems.visibleProperty());

        TextArea commandLine = new TextArea();
        commandLine.setId("run-command-line");
        commandLine.setEditable(false);
        commandLine.setWrapText(true);
        commandLine.setPrefRowCount(3);
        commandLine.getStyleClass().add("command-line");
        commandLine.textProperty().bind(model.commandLineProperty());
        Button copy = new Button("Copy", new FontIcon(Feather.COPY));
        copy.setId("run-copy");
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(model.commandLineProperty().get());
            Clipboard.getSystemClipboard().setContent(c);
        });
        HBox.setHgrow(commandLine, Priority.ALWAYS);
        HBox commandBox = new HBox(8, commandLine, copy);

        Label engineError = new Label();
        engineError.setId("run-engine-error");
        engineError.setWrapText(true);
        engineError.getStyleClass().add("engine-error");
        engineError.textProperty().bind(model.engineErrorProperty());
        engineError.visibleProperty().bind(Bindings.isNotEmpty(model.engineErrorProperty()));
        engineError.managedProperty().bind(engineError.visibleProperty());

        Button cancel = new Button("Cancel");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> stage.close());
        Button run = new Button("Run", new FontIcon(Feather.PLAY));
        run.setId("run-submit");
        run.getStyleClass().add("accent");
        run.setDefaultButton(true);
        run.disableProperty().bind(model.validProperty().not().or(model.runningProperty()));
        run.setOnAction(e -> model.run(id -> {
            stage.close();
            onStarted.accept(id);
        }));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox buttons = new HBox(8, grow, cancel, run);

        Label title = new Label("Run a container from " + model.image());
        title.getStyleClass().add("title-4");
        VBox content = new VBox(12, title, grid, problems, new Label("Equivalent command"), commandBox, engineError);
        content.setPadding(new Insets(16));
        ScrollPane scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        VBox root = new VBox(scroll, buttons);
        root.setId("run-dialog");
        buttons.setPadding(new Insets(10, 16, 14, 16));
        VBox.setVgrow(scroll, Priority.ALWAYS);
        root.getStylesheets().add(RunDialog.class.getResource("/dev/muelle/desktop/run/run.css").toExternalForm());
        return root;
    }

    private static Label label(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("form-label");
        return l;
    }

    private static TextField field(String id, String prompt, javafx.beans.property.StringProperty property) {
        TextField f = new TextField();
        if (id != null) {
            f.setId(id);
        }
        f.setPromptText(prompt);
        f.textProperty().bindBidirectional(property);
        return f;
    }

    /** An editable list of rows with an Add button and a remove button per row. */
    private static <R> Node rows(ObservableList<R> list, java.util.function.Supplier<R> add, String addId, String addText,
                                 Function<R, HBox> editor) {
        VBox box = new VBox(6);
        Button addButton = new Button(addText, new FontIcon(Feather.PLUS));
        addButton.setId(addId);
        addButton.getStyleClass().add("flat");
        addButton.setOnAction(e -> add.get());
        Runnable render = () -> {
            box.getChildren().clear();
            int i = 0;
            for (R r : list) {
                HBox line = editor.apply(r);
                line.setAlignment(Pos.CENTER_LEFT);
                Button remove = new Button(null, new FontIcon(Feather.X));
                remove.getStyleClass().add("flat");
                remove.setOnAction(e -> list.remove(r));
                line.getChildren().add(remove);
                line.setId(addId + "-row-" + i++);
                box.getChildren().add(line);
            }
            box.getChildren().add(addButton);
        };
        // Re-render only when rows come or go: field edits must not rebuild (and unfocus) the editors.
        list.addListener((ListChangeListener<R>) c -> {
            boolean structural = false;
            while (c.next()) {
                structural |= c.wasAdded() || c.wasRemoved();
            }
            if (structural) {
                render.run();
            }
        });
        render.run();
        return box;
    }
}
