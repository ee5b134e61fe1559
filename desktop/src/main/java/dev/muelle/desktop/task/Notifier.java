package dev.muelle.desktop.task;

import dev.muelle.desktop.engine.EngineException;

/**
 * Tells the user that an action finished or failed (toast notifications in the app, a list in
 * tests). Called on the UI thread.
 */
public interface Notifier {

    void info(String title, String text);

    void error(String title, String text);

    /** The message to show for a failure: the engine's plain words, never a stack trace. */
    static String plainMessage(Throwable e) {
        if (e instanceof EngineException) {
            return e.getMessage();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
