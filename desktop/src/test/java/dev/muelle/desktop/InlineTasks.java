package dev.muelle.desktop;

import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.WorkerTaskExecutor;

import java.util.ArrayList;
import java.util.List;

/**
 * What view-model tests run with: a task executor whose work and callbacks run at once on the
 * test's thread, in order, and a notifier that keeps what it was told. No toolkit is started.
 */
public final class InlineTasks {

    public final RecordingNotifier notifier = new RecordingNotifier();
    public final WorkerTaskExecutor tasks = new WorkerTaskExecutor(Runnable::run, Runnable::run, notifier);

    /** A notifier that keeps what it was told. */
    public static final class RecordingNotifier implements Notifier {
        public final List<String> messages = new ArrayList<>();

        @Override
        public void info(String title, String text) {
            messages.add("INFO " + title + ": " + text);
        }

        @Override
        public void error(String title, String text) {
            messages.add("ERROR " + title + ": " + text);
        }
    }
}
