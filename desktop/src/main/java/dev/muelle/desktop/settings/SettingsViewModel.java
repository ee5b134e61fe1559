package dev.muelle.desktop.settings;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.function.Consumer;

/**
 * The Settings page: theme, engine socket and engine command, saved as soon as they change.
 * Changing the socket asks the app to reconnect ({@code onSocketChange}); the theme applies at once.
 */
public final class SettingsViewModel {

    private final ObjectProperty<Settings.Theme> theme = new SimpleObjectProperty<>();
    private final StringProperty socket = new SimpleStringProperty();
    private final StringProperty engineCommand = new SimpleStringProperty();
    private final SettingsStore store;

    public SettingsViewModel(SettingsStore store, Runnable onSocketChange) {
        this.store = store;
        Settings s = store.load();
        theme.set(s.theme());
        socket.set(s.socket());
        engineCommand.set(s.engineCommand());
        theme.addListener((o, a, b) -> save());
        engineCommand.addListener((o, a, b) -> save());
        socket.addListener((o, a, b) -> save());
        this.onSocketChange = onSocketChange;
    }

    private final Runnable onSocketChange;

    public ObjectProperty<Settings.Theme> themeProperty() {
        return theme;
    }

    public StringProperty socketProperty() {
        return socket;
    }

    public StringProperty engineCommandProperty() {
        return engineCommand;
    }

    public Settings current() {
        return new Settings(theme.get(), socket.get() == null ? "" : socket.get(),
                engineCommand.get() == null ? "" : engineCommand.get());
    }

    /** Apply the socket field: save it and reconnect with it ranked first. */
    public void applySocket() {
        save();
        onSocketChange.run();
    }

    /** Flip between light and dark (the keyboard shortcut); leaves "follow the system". */
    public void toggleTheme(boolean currentlyDark) {
        theme.set(currentlyDark ? Settings.Theme.LIGHT : Settings.Theme.DARK);
    }

    private void save() {
        store.save(current());
    }

    /** Observe the effective theme choice. */
    public void onThemeChange(Consumer<Settings.Theme> listener) {
        theme.addListener((o, a, b) -> listener.accept(b));
    }
}
