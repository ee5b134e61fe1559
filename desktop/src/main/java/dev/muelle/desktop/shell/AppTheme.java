package dev.muelle.desktop.shell;

import dev.muelle.desktop.settings.Settings;
import dev.muelle.desktop.settings.SystemTheme;
import javafx.application.Application;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

import java.util.Map;

/**
 * Applies AtlantaFX's Primer light or dark theme to the whole app. With {@link Settings.Theme#SYSTEM}
 * the desktop's preference decides (asked once per apply, see {@link SystemTheme}).
 */
public final class AppTheme {

    private final ReadOnlyBooleanWrapper dark = new ReadOnlyBooleanWrapper();
    private final Map<String, String> env;

    public AppTheme(Map<String, String> env) {
        this.env = env;
    }

    public void apply(Settings.Theme choice) {
        boolean useDark = switch (choice) {
            case DARK -> true;
            case LIGHT -> false;
            case SYSTEM -> SystemTheme.prefersDark(env);
        };
        Application.setUserAgentStylesheet(stylesheet(useDark ? "primer-dark.css" : "primer-light.css"));
        dark.set(useDark);
    }

    /**
     * AtlantaFX 2.1.0's classes are Java 21 bytecode and the app runs on Java 17, so its themes are
     * loaded by stylesheet URL (what {@code PrimerLight.getUserAgentStylesheet()} returns) rather
     * than through its theme classes.
     */
    private static String stylesheet(String name) {
        var url = AppTheme.class.getResource("/atlantafx/base/theme/" + name);
        if (url == null) {
            throw new IllegalStateException("AtlantaFX's " + name + " is not on the classpath");
        }
        return url.toExternalForm();
    }

    public ReadOnlyBooleanProperty darkProperty() {
        return dark.getReadOnlyProperty();
    }

    public boolean dark() {
        return dark.get();
    }
}
