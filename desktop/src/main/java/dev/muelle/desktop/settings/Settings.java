package dev.muelle.desktop.settings;

/**
 * What the user can change in Settings.
 *
 * @param socket an engine endpoint to use before any other strategy, or blank to search
 * @param engineCommand the shell command the Start engine action runs, or blank for the default
 */
public record Settings(Theme theme, String socket, String engineCommand) {

    /** The look: follow the desktop's light/dark preference, or force one. */
    public enum Theme { SYSTEM, LIGHT, DARK }

    public static Settings defaults() {
        return new Settings(Theme.SYSTEM, "", "");
    }
}
