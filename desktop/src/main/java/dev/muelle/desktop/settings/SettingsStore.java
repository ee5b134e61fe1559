package dev.muelle.desktop.settings;

import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * Keeps {@link Settings} between runs in the user's Java preferences ({@code ~/.java/.userPrefs}
 * on Linux). A node other than the default lets tests keep their settings apart.
 */
public final class SettingsStore {

    private final Preferences node;

    public SettingsStore(Preferences node) {
        this.node = node;
    }

    /** The user's settings node for the app. */
    public static SettingsStore forUser() {
        return new SettingsStore(Preferences.userRoot().node("dev/muelle/desktop"));
    }

    public Settings load() {
        Settings.Theme theme;
        try {
            theme = Settings.Theme.valueOf(node.get("theme", Settings.Theme.SYSTEM.name()));
        } catch (IllegalArgumentException e) {
            theme = Settings.Theme.SYSTEM;
        }
        return new Settings(theme, node.get("socket", ""), node.get("engineCommand", ""));
    }

    public void save(Settings settings) {
        node.put("theme", settings.theme().name());
        node.put("socket", settings.socket());
        node.put("engineCommand", settings.engineCommand());
        try {
            node.flush();
        } catch (BackingStoreException e) {
            // Kept for this run; the next start uses the defaults. Nothing the user can act on.
        }
    }
}
