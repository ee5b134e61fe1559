package dev.muelle.desktop.shell;

import dev.muelle.desktop.session.EngineSession;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.beans.value.ObservableStringValue;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The main window's content: navigation on the left, the current page in the middle (or the
 * engine-unreachable page while no engine answers), the engine footer at the bottom.
 *
 * <p>Pages are built on first visit, so starting the app builds only the Containers page.
 */
public final class MainView extends BorderPane {

    /** The pages of the left navigation, in order; Ctrl+1 … Ctrl+6 select them. */
    public enum Page {
        CONTAINERS("Containers", Feather.BOX), IMAGES("Images", Feather.LAYERS), VOLUMES("Volumes", Feather.DATABASE),
        NETWORKS("Networks", Feather.SHARE_2), BUILDS("Builds", Feather.TOOL), SETTINGS("Settings", Feather.SETTINGS);

        private final String label;
        private final Feather icon;

        Page(String label, Feather icon) {
            this.label = label;
            this.icon = icon;
        }

        public String label() {
            return label;
        }
    }

    private final EngineSession session;
    private final Map<Page, Supplier<PageContent>> factories;
    private final Map<Page, PageContent> built = new EnumMap<>(Page.class);
    private final Map<Page, ToggleButton> buttons = new EnumMap<>(Page.class);
    private final StackPane center = new StackPane();
    private final Node unreachable;
    private Page current;

    public MainView(EngineSession session, Map<Page, Supplier<PageContent>> factories, ObservableStringValue usage) {
        this.session = session;
        this.factories = factories;
        getStyleClass().add("main-view");
        getStylesheets().add(MainView.class.getResource("/dev/muelle/desktop/shell/shell.css").toExternalForm());
        setLeft(navigation());
        center.getStyleClass().add("page-area");
        setCenter(center);
        setBottom(new StatusFooter(session, usage));
        EngineUnreachableView unreachableView = new EngineUnreachableView(session, () -> show(Page.SETTINGS));
        StackPane holder = new StackPane(unreachableView);
        holder.getStyleClass().add("unreachable-holder");
        unreachable = holder;
        session.stateProperty().addListener((o, a, b) -> showCurrent());
        show(Page.CONTAINERS);
    }

    private Node navigation() {
        VBox nav = new VBox(4);
        nav.getStyleClass().add("nav");
        nav.setPadding(new Insets(12, 8, 12, 8));
        Label brand = new Label("Muelle");
        brand.getStyleClass().addAll("brand", "title-3");
        brand.setGraphic(new FontIcon(Feather.ANCHOR));
        nav.getChildren().add(brand);
        ToggleGroup group = new ToggleGroup();
        int n = 1;
        for (Page page : Page.values()) {
            ToggleButton b = new ToggleButton(page.label, new FontIcon(page.icon));
            b.setId("nav-" + page.name().toLowerCase());
            b.getStyleClass().add("nav-button");
            b.setToggleGroup(group);
            b.setMaxWidth(Double.MAX_VALUE);
            b.setAlignment(Pos.CENTER_LEFT);
            b.setTooltip(new Tooltip(page.label + " (Ctrl+" + n++ + ")"));
            b.setOnAction(e -> show(page));
            buttons.put(page, b);
            if (page == Page.SETTINGS) {
                Region grow = new Region();
                VBox.setVgrow(grow, Priority.ALWAYS);
                nav.getChildren().add(grow);
            }
            nav.getChildren().add(b);
        }
        return nav;
    }

    public Page current() {
        return current;
    }

    /** Switch to {@code page}, building it on first visit. */
    public void show(Page page) {
        current = page;
        buttons.get(page).setSelected(true);
        showCurrent();
    }

    private void showCurrent() {
        // While the engine is being looked for (the footer says so) the page itself shows, empty: at
        // launch its first layout then overlaps the search instead of following it.
        boolean engineNeeded = current != Page.SETTINGS;
        EngineSession.State state = session.state();
        if (engineNeeded && state != EngineSession.State.RUNNING && state != EngineSession.State.SEARCHING) {
            center.getChildren().setAll(unreachable);
            return;
        }
        PageContent content = built.computeIfAbsent(current, p -> factories.get(p).get());
        center.getChildren().setAll(content.node());
    }

    /** Keyboard shortcuts; {@code toggleTheme} and {@code quit} come from the app. */
    public void installShortcuts(Scene scene, Runnable toggleTheme, Runnable quit) {
        var acc = scene.getAccelerators();
        Page[] pages = Page.values();
        KeyCode[] digits = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4, KeyCode.DIGIT5,
                KeyCode.DIGIT6};
        for (int i = 0; i < pages.length; i++) {
            Page p = pages[i];
            acc.put(new KeyCodeCombination(digits[i], KeyCombination.SHORTCUT_DOWN), () -> show(p));
        }
        acc.put(new KeyCodeCombination(KeyCode.F5), () -> {
            PageContent c = built.get(current);
            if (c != null) {
                c.refresh().run();
            }
        });
        acc.put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            PageContent c = built.get(current);
            if (c != null) {
                c.focusSearch().run();
            }
        });
        acc.put(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), toggleTheme);
        acc.put(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN), quit);
    }
}
