package dev.muelle.desktop.containers;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The Inspect tab: {@code docker inspect} as a collapsible tree, first level open. */
final class InspectView extends VBox implements ContainerDetailView.DetailTab {

    private final InspectViewModel model;
    private final TreeView<InspectViewModel.JsonEntry> tree = new TreeView<>();
    private boolean loaded;

    InspectView(InspectViewModel model) {
        this.model = model;
        setSpacing(8);
        setPadding(new javafx.geometry.Insets(8, 0, 0, 0));
        tree.setId("inspect-tree");
        tree.getStyleClass().add("inspect-tree");
        tree.setShowRoot(false);
        tree.setFixedCellSize(24);
        tree.setCellFactory(t -> new TreeCell<>() {
            @Override
            protected void updateItem(InspectViewModel.JsonEntry e, boolean empty) {
                super.updateItem(e, empty);
                if (empty || e == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                Label key = new Label(e.key());
                key.setMinWidth(Region.USE_PREF_SIZE);
                key.getStyleClass().add("json-key");
                Label value = new Label(e.value());
                value.getStyleClass().add(e.container() ? "json-summary" : "json-value");
                setText(null);
                setGraphic(new HBox(8, key, value));
            }
        });
        Button copy = new Button("Copy JSON", new FontIcon(Feather.COPY));
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(model.jsonProperty().get());
            Clipboard.getSystemClipboard().setContent(c);
        });
        Button expand = new Button("Expand all", new FontIcon(Feather.MAXIMIZE_2));
        expand.setOnAction(e -> setExpanded(tree.getRoot(), true));
        Button collapse = new Button("Collapse", new FontIcon(Feather.MINIMIZE_2));
        collapse.setOnAction(e -> {
            setExpanded(tree.getRoot(), false);
            if (tree.getRoot() != null) {
                tree.getRoot().setExpanded(true);
            }
        });
        Label error = new Label();
        error.getStyleClass().add("danger-text");
        error.textProperty().bind(model.errorProperty());
        HBox bar = new HBox(8, copy, expand, collapse, error);
        bar.setAlignment(Pos.CENTER_LEFT);
        model.rootProperty().addListener((o, a, root) -> {
            TreeItem<InspectViewModel.JsonEntry> item = item(root);
            item.setExpanded(true);
            tree.setRoot(item);
        });
        VBox.setVgrow(tree, Priority.ALWAYS);
        getChildren().addAll(bar, tree);
    }

    private static TreeItem<InspectViewModel.JsonEntry> item(InspectViewModel.JsonEntry e) {
        TreeItem<InspectViewModel.JsonEntry> t = new TreeItem<>(e);
        for (InspectViewModel.JsonEntry child : e.children()) {
            t.getChildren().add(item(child));
        }
        return t;
    }

    private static void setExpanded(TreeItem<?> item, boolean expanded) {
        if (item == null) {
            return;
        }
        item.setExpanded(expanded);
        item.getChildren().forEach(c -> setExpanded(c, expanded));
    }

    @Override
    public void shown() {
        // Inspect again on every visit: the state may have changed since.
        model.load();
        loaded = true;
    }

    @Override
    public void hidden() {
    }
}
