package dev.muelle.desktop.containers;

import dev.muelle.desktop.engine.ContainerSummary;
import dev.muelle.desktop.engine.PublishedPort;
import dev.muelle.desktop.engine.StatsSample;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.task.TaskExecutor;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.text.Formats;
import javafx.application.HostServices;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import org.controlsfx.control.textfield.TextFields;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Containers page: a toolbar (search, state filter, actions), the table grouped by compose
 * project, and, on double click or Enter, the container's detail view in place of the table.
 */
public final class ContainersView extends StackPane {

    private final ContainersViewModel model;
    private final EngineSession session;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final HostServices host;
    private final TreeTableView<Object> table = new TreeTableView<>();
    private final TextField search = TextFields.createClearableTextField();
    private final VBox listPage;
    private ContainerDetailView detail;

    public ContainersView(ContainersViewModel model, EngineSession session, TaskExecutor tasks, Notifier notifier,
                          HostServices host) {
        this.model = model;
        this.session = session;
        this.tasks = tasks;
        this.notifier = notifier;
        this.host = host;
        setId("containers-page");
        getStyleClass().add("containers-page");
        getStylesheets().add(ContainersView.class.getResource("/dev/muelle/desktop/containers/containers.css").toExternalForm());

        Label title = new Label("Containers");
        title.getStyleClass().add("title-3");
        Label summary = new Label();
        summary.getStyleClass().add("page-summary");
        summary.textProperty().bind(model.summaryLineProperty());
        HBox header = new HBox(12, title, summary);
        header.setAlignment(Pos.BASELINE_LEFT);

        listPage = new VBox(10, header, toolbar(), table);
        listPage.setPadding(new Insets(16));
        VBox.setVgrow(table, Priority.ALWAYS);
        buildTable();
        getChildren().add(listPage);
        model.visible().addListener((ListChangeListener<ContainerItem>) c -> rebuildTree());
        rebuildTree();
    }

    private HBox toolbar() {
        search.setId("container-search");
        search.setPromptText("Search containers");
        search.setPrefWidth(280);
        search.textProperty().bindBidirectional(model.searchProperty());

        ToggleGroup filters = new ToggleGroup();
        HBox filterBox = new HBox();
        filterBox.getStyleClass().add("segmented");
        for (ContainersViewModel.Filter f : ContainersViewModel.Filter.values()) {
            ToggleButton b = new ToggleButton(f.name().charAt(0) + f.name().substring(1).toLowerCase(Locale.ROOT));
            b.setId("filter-" + f.name().toLowerCase(Locale.ROOT));
            b.setToggleGroup(filters);
            b.setSelected(f == model.filterProperty().get());
            b.setOnAction(e -> {
                if (!b.isSelected()) {
                    b.setSelected(true);
                }
                model.filterProperty().set(f);
            });
            filterBox.getChildren().add(b);
        }
        filterBox.getChildren().get(0).getStyleClass().add("left-pill");
        filterBox.getChildren().get(2).getStyleClass().add("right-pill");
        filterBox.getChildren().get(1).getStyleClass().add("center-pill");

        HBox actions = new HBox(6);
        addAction(actions, ContainersViewModel.Action.START, Feather.PLAY);
        addAction(actions, ContainersViewModel.Action.STOP, Feather.SQUARE);
        addAction(actions, ContainersViewModel.Action.RESTART, Feather.ROTATE_CW);
        addAction(actions, ContainersViewModel.Action.PAUSE, Feather.PAUSE);
        addAction(actions, ContainersViewModel.Action.UNPAUSE, Feather.PLAY_CIRCLE);
        addAction(actions, ContainersViewModel.Action.DELETE, Feather.TRASH_2);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(10, search, filterBox, grow, actions);
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    private void addAction(HBox box, ContainersViewModel.Action action, Feather icon) {
        Button b = new Button(null, new FontIcon(icon));
        b.setId("action-" + action.name().toLowerCase(Locale.ROOT));
        b.getStyleClass().addAll("button-icon", action == ContainersViewModel.Action.DELETE ? "danger-flat" : "flat");
        b.setTooltip(new Tooltip(action.label() + " the selected containers"
                + (action == ContainersViewModel.Action.DELETE ? " (Delete)" : "")));
        Runnable update = () -> b.setDisable(selected().stream().noneMatch(i -> ContainersViewModel.applies(action, i.summary())));
        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<TreeItem<Object>>) c -> update.run());
        model.items().addListener((ListChangeListener<ContainerItem>) c -> update.run());
        model.visible().addListener((ListChangeListener<ContainerItem>) c -> update.run());
        update.run();
        b.setOnAction(e -> perform(action, selected()));
        box.getChildren().add(b);
        // Summaries change in place; re-check the button when the selection's state changes.
        table.getSelectionModel().selectedItemProperty().addListener((o, a, item) -> update.run());
        model.busy().addListener((ListChangeListener<String>) c -> update.run());
        stateWatchers.add(update);
    }

    private final List<Runnable> stateWatchers = new java.util.ArrayList<>();

    /** Ask first when the action is destructive, then hand it to the view-model. */
    void perform(ContainersViewModel.Action action, List<ContainerItem> targets) {
        String question = model.confirmation(action, targets);
        if (question != null) {
            Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, question, ButtonType.CANCEL, ButtonType.OK);
            confirm.setHeaderText(action.label() + "?");
            confirm.initOwner(getScene() == null ? null : getScene().getWindow());
            ((Button) confirm.getDialogPane().lookupButton(ButtonType.OK)).setText(action.label());
            confirm.getDialogPane().lookupButton(ButtonType.OK).setId("confirm-ok");
            if (confirm.showAndWait().orElse(ButtonType.CANCEL) != ButtonType.OK) {
                return;
            }
        }
        model.perform(action, targets);
    }

    List<ContainerItem> selected() {
        return table.getSelectionModel().getSelectedItems().stream()
                .filter(t -> t != null && t.getValue() instanceof ContainerItem)
                .map(t -> (ContainerItem) t.getValue()).toList();
    }

    private void buildTable() {
        table.setId("containers-table");
        table.setShowRoot(false);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No containers yet. Run one from the Images page."));

        TreeTableColumn<Object, Object> name = column("Name", 220);
        name.setCellFactory(c -> new TreeTableCell<>() {
            @Override
            protected void updateItem(Object value, boolean empty) {
                super.updateItem(value, empty);
                setText(null);
                setGraphic(null);
                if (empty || value == null) {
                    return;
                }
                if (value instanceof String project) {
                    Label l = new Label(project + "  (compose project)", new FontIcon(Feather.FOLDER));
                    l.getStyleClass().add("project-label");
                    setGraphic(l);
                    return;
                }
                ContainerSummary s = itemOf(value).summary();
                Circle dot = new Circle(4.5);
                dot.getStyleClass().addAll("state-dot", s.state());
                Label label = new Label(s.name());
                label.getStyleClass().add("container-name");
                Label id = new Label(s.shortId());
                id.getStyleClass().add("container-id");
                HBox box = new HBox(8, dot, label, id);
                box.setAlignment(Pos.CENTER_LEFT);
                setGraphic(box);
            }
        });
        TreeTableColumn<Object, Object> image = column("Image", 160);
        image.setCellFactory(c -> textCell(v -> v.summary().image()));
        TreeTableColumn<Object, Object> status = column("Status", 170);
        status.setCellFactory(c -> textCell(v -> v.summary().status()));
        TreeTableColumn<Object, Object> ports = column("Ports", 170);
        ports.setCellFactory(c -> new TreeTableCell<>() {
            @Override
            protected void updateItem(Object value, boolean empty) {
                super.updateItem(value, empty);
                setText(null);
                setGraphic(null);
                ContainerItem item = itemOf(value);
                if (empty || item == null) {
                    return;
                }
                HBox links = new HBox(6);
                links.setAlignment(Pos.CENTER_LEFT);
                for (PublishedPort p : item.summary().ports()) {
                    if (p.url() != null) {
                        Hyperlink link = new Hyperlink(p.hostPort() + ":" + p.containerPort());
                        link.getStyleClass().add("port-link");
                        link.setTooltip(new Tooltip("Open " + p.url()));
                        link.setOnAction(e -> host.showDocument(p.url()));
                        links.getChildren().add(link);
                    } else if (p.published()) {
                        links.getChildren().add(new Label(p.label()));
                    }
                }
                setGraphic(links);
            }
        });
        TreeTableColumn<Object, Object> cpu = column("CPU", 70);
        cpu.setCellFactory(c -> textCell(v -> v.usage() == null ? "" : String.format(Locale.ROOT, "%.1f %%", v.usage().cpuPercent())));
        TreeTableColumn<Object, Object> memory = column("Memory", 110);
        memory.setCellFactory(c -> textCell(v -> {
            StatsSample u = v.usage();
            return u == null ? "" : Formats.bytes(u.memoryUsage());
        }));
        table.getColumns().setAll(List.of(name, image, status, ports, cpu, memory));

        table.setRowFactory(t -> {
            TreeTableRow<Object> row = new TreeTableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && row.getItem() instanceof ContainerItem item) {
                    openDetail(item);
                }
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && selected().size() == 1) {
                openDetail(selected().get(0));
            } else if (e.getCode() == KeyCode.DELETE && !selected().isEmpty()) {
                perform(ContainersViewModel.Action.DELETE, selected());
            }
        });
    }

    /**
     * Cells show the item's properties; they re-render when a summary changes because each row's
     * value is an observable built from the item's summary and usage properties.
     */
    private TreeTableColumn<Object, Object> column(String title, double width) {
        TreeTableColumn<Object, Object> col = new TreeTableColumn<>(title);
        col.setPrefWidth(width);
        col.setSortable(false);
        col.setCellValueFactory(features -> {
            Object value = features.getValue().getValue();
            if (value instanceof ContainerItem item) {
                // A binding on both properties so the cell updates when either changes.
                return javafx.beans.binding.Bindings.createObjectBinding(() -> new Versioned(item,
                        item.summaryProperty().get(), item.usageProperty().get()), item.summaryProperty(),
                        item.usageProperty());
            }
            return new ReadOnlyObjectWrapper<>(value);
        });
        return col;
    }

    private static ContainerItem itemOf(Object value) {
        return value instanceof Versioned v ? v.item() : value instanceof ContainerItem i ? i : null;
    }

    /** A cell value that changes identity when the item's summary or usage changes. */
    private record Versioned(ContainerItem item, ContainerSummary summary, StatsSample usage) {
    }

    private TreeTableCell<Object, Object> textCell(java.util.function.Function<ContainerItem, String> text) {
        return new TreeTableCell<>() {
            @Override
            protected void updateItem(Object value, boolean empty) {
                super.updateItem(value, empty);
                setGraphic(null);
                ContainerItem item = itemOf(value);
                setText(empty || item == null ? null : text.apply(item));
            }
        };
    }

    /** Rebuild the tree from the view-model's groups, keeping the selection by container ID. */
    private void rebuildTree() {
        Set<String> selectedIds = new HashSet<>();
        selected().forEach(i -> selectedIds.add(i.id()));
        TreeItem<Object> root = new TreeItem<>("root");
        for (Map.Entry<String, List<ContainerItem>> group : model.groups().entrySet()) {
            TreeItem<Object> parent = root;
            if (group.getKey() != null) {
                parent = new TreeItem<>(group.getKey());
                parent.setExpanded(true);
                root.getChildren().add(parent);
            }
            for (ContainerItem item : group.getValue()) {
                parent.getChildren().add(new TreeItem<>(item));
            }
        }
        table.setRoot(root);
        for (int i = 0; i < table.getExpandedItemCount(); i++) {
            TreeItem<Object> t = table.getTreeItem(i);
            if (t.getValue() instanceof ContainerItem item && selectedIds.contains(item.id())) {
                table.getSelectionModel().select(i);
            }
        }
        stateWatchers.forEach(Runnable::run);
        if (detail != null && model.find(detail.containerId()) == null) {
            closeDetail();
        }
    }

    /** Select the row of a container (after Run, or from a test). */
    public void select(String containerId) {
        for (int i = 0; i < table.getExpandedItemCount(); i++) {
            if (table.getTreeItem(i).getValue() instanceof ContainerItem item && item.id().equals(containerId)) {
                table.getSelectionModel().clearAndSelect(i);
                table.scrollTo(i);
                return;
            }
        }
    }

    public void openDetail(ContainerItem item) {
        closeDetail();
        detail = new ContainerDetailView(item, session.client(), tasks, notifier, this::closeDetail,
                action -> perform(action, List.of(item)));
        getChildren().setAll(detail);
    }

    public void closeDetail() {
        if (detail != null) {
            detail.close();
            detail = null;
        }
        getChildren().setAll(listPage);
    }

    /** The text on the open detail view's terminal, or "" (for tests). */
    public String terminalScreen() {
        return detail == null ? "" : detail.terminalScreen();
    }

    public void focusSearch() {
        closeDetail();
        search.requestFocus();
    }

    /** Used for "now" in status texts; the engine's own status already carries the uptime. */
    static Instant now() {
        return Instant.now();
    }
}
