package dev.muelle.desktop;

import dev.muelle.desktop.settings.SettingsStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the app takes from its surroundings, gathered in one place so tests can start the app with
 * their own engine, settings and environment.
 *
 * @param env the environment the engine strategies read (DOCKER_HOST, MUELLE_HOST, DOCKER_CONTEXT ...)
 * @param home the user's home (for ~/.docker)
 * @param defaultEngineCommand what Start engine runs when Settings has no command
 * @param tray whether to try adding a tray icon
 * @param reportReady print "muelle-desktop: ready" once the window is interactive (for bench/desktop)
 */
public record DesktopConfig(Map<String, String> env, Path home, SettingsStore settings, String defaultEngineCommand,
                            Path engineLog, boolean tray, boolean reportReady) {

    /** The normal configuration of a user's session. */
    public static DesktopConfig fromEnvironment() {
        Map<String, String> env = System.getenv();
        Path home = Path.of(System.getProperty("user.home"));
        return new DesktopConfig(env, home, SettingsStore.forUser(), defaultEngineCommand(env),
                home.resolve(".cache/muelle/engine.log"),
                !"false".equals(System.getProperty("muelle.desktop.tray")),
                Boolean.getBoolean("muelle.desktop.reportReady"));
    }

    /**
     * {@code MUELLE_ENGINE_COMMAND} (set by {@code ./muelle up}), else {@code muelle up --engine-only}
     * from the repository given by {@code MUELLE_REPO} or {@code -Dmuelle.repo}.
     */
    static String defaultEngineCommand(Map<String, String> env) {
        String command = env.get("MUELLE_ENGINE_COMMAND");
        if (command != null && !command.isBlank()) {
            return command;
        }
        String repo = env.getOrDefault("MUELLE_REPO", System.getProperty("muelle.repo", ""));
        if (!repo.isBlank() && Files.isExecutable(Path.of(repo, "muelle"))) {
            return "'" + Path.of(repo, "muelle") + "' up --engine-only";
        }
        return "";
    }
}
