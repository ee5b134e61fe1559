package dev.muelle.desktop;

import javafx.application.Application;

/**
 * The desktop's main class. It does not extend {@code Application} on purpose: JavaFX refuses to
 * start an {@code Application} main class from the classpath ("JavaFX runtime components are
 * missing"), and the app runs from the classpath like the engine.
 *
 * <p>Once the toolkit has exited (window closed, Quit) the JVM ends, whatever other library threads
 * (AWT's for the tray icon, the engine client's) are still around.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        MuelleDesktop.findEngineEarly();
        Application.launch(MuelleDesktop.class, args);
        System.exit(0);
    }
}
