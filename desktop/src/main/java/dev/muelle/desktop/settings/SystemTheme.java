package dev.muelle.desktop.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether the desktop prefers a dark look. JavaFX 21 cannot tell, so this asks what GNOME and GTK
 * say: {@code GTK_THEME} ("Adwaita:dark"), then {@code gsettings} color-scheme and gtk-theme.
 * Without any of these the answer is light.
 */
public final class SystemTheme {

    private SystemTheme() {
    }

    public static boolean prefersDark(Map<String, String> env) {
        String gtkTheme = env.getOrDefault("GTK_THEME", "");
        if (!gtkTheme.isEmpty()) {
            return gtkTheme.toLowerCase().contains("dark");
        }
        String scheme = gsettings("color-scheme");
        if (scheme.contains("prefer-dark")) {
            return true;
        }
        if (scheme.contains("prefer-light")) {
            return false;
        }
        return gsettings("gtk-theme").toLowerCase().contains("dark");
    }

    private static String gsettings(String key) {
        try {
            Process p = new ProcessBuilder("gsettings", "get", "org.gnome.desktop.interface", key)
                    .redirectErrorStream(true).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
