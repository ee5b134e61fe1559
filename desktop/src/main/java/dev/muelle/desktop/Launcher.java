package dev.muelle.desktop;

import javafx.application.Application;

/**
 * The desktop's main class. It does not extend {@code Application} on purpose: JavaFX refuses to
 * start an {@code Application} main class from the classpath ("JavaFX runtime components are
 * missing"), and the app runs from the classpath like the engine.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        Application.launch(MuelleDesktop.class, args);
    }
}
