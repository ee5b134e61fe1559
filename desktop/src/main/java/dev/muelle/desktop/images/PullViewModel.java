package dev.muelle.desktop.images;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.PullProgress;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pull: the reference to pull, a progress bar per layer as the engine reports it, and the
 * outcome in plain words ("Pulled localhost:5000/app:1.0" or why not).
 */
public final class PullViewModel {

    /** The progress of one layer; its properties change as messages arrive. */
    public static final class LayerProgress {
        private final String layer;
        private final StringProperty status = new SimpleStringProperty("");
        private final DoubleProperty fraction = new SimpleDoubleProperty(-1);

        LayerProgress(String layer) {
            this.layer = layer;
        }

        public String layer() {
            return layer;
        }

        public StringProperty statusProperty() {
            return status;
        }

        /** In [0, 1], or -1 while the engine gives no byte counts (an indeterminate bar). */
        public DoubleProperty fractionProperty() {
            return fraction;
        }
    }

    private final EngineSession session;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final StringProperty reference = new SimpleStringProperty("");
    private final ObservableList<LayerProgress> layers = FXCollections.observableArrayList();
    private final Map<String, LayerProgress> byId = new LinkedHashMap<>();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper succeeded = new ReadOnlyBooleanWrapper();

    PullViewModel(EngineSession session, TaskExecutor tasks, Notifier notifier) {
        this.session = session;
        this.tasks = tasks;
        this.notifier = notifier;
    }

    public StringProperty referenceProperty() {
        return reference;
    }

    public ObservableList<LayerProgress> layers() {
        return layers;
    }

    /** The latest message about the whole image ("Digest: ...", "Status: Downloaded newer image ..."). */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Why the pull failed, in plain words; empty otherwise. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty succeededProperty() {
        return succeeded.getReadOnlyProperty();
    }

    /** Null when the reference can be pulled, else what is wrong with it. */
    public String referenceProblem() {
        String ref = reference.get() == null ? "" : reference.get().trim();
        return ref.isEmpty() ? "Enter an image to pull, such as busybox or localhost:5000/app:1.0"
                : ImagesViewModel.tagProblem(ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref);
    }

    public void pull() {
        EngineClient client = session.client();
        String ref = reference.get() == null ? "" : reference.get().trim();
        String problem = referenceProblem();
        if (problem != null) {
            error.set(problem);
            return;
        }
        if (client == null || running.get()) {
            return;
        }
        layers.clear();
        byId.clear();
        error.set("");
        succeeded.set(false);
        status.set("Pulling " + ref + " …");
        running.set(true);
        BackgroundTask.wrap(() -> client.pull(ref, p -> tasks.runOnUi(() -> progress(p))))
                .withTitle("Pull " + ref)
                .onSuccess(v -> {
                    succeeded.set(true);
                    status.set("Pulled " + ref);
                    layers.forEach(l -> l.fraction.set(1));
                    notifier.info("Pulled " + ref, "");
                })
                .onFailure(e -> {
                    String why = explain(ref, Notifier.plainMessage(e));
                    error.set(why);
                    status.set("");
                    notifier.error("Pull of " + ref + " failed", why);
                })
                .onFinished(() -> running.set(false))
                .executeWith(tasks);
    }

    void progress(PullProgress p) {
        if (p.layer() == null || p.layer().isBlank() || p.status().startsWith("Pulling from")) {
            status.set(p.status());
            return;
        }
        LayerProgress layer = byId.computeIfAbsent(p.layer(), id -> {
            LayerProgress l = new LayerProgress(id);
            layers.add(l);
            return l;
        });
        layer.status.set(p.status());
        if (p.status().equals("Pull complete") || p.status().equals("Already exists")) {
            layer.fraction.set(1);
        } else if (p.fraction() >= 0) {
            // Docker reports download and extraction each from 0 to total; show both as one bar.
            double f = p.fraction();
            layer.fraction.set(p.status().startsWith("Extracting") ? 0.5 + f / 2 : f / 2);
        }
    }

    /** The engine's wording, with what to do when the image does not exist or cannot be reached. */
    static String explain(String ref, String message) {
        String lower = message.toLowerCase();
        if (lower.contains("not available in this")) {
            return "This engine cannot pull from registries yet. (" + message + ")";
        }
        if (lower.contains("not found") || lower.contains("manifest unknown") || lower.contains("does not exist")
                || lower.contains("repository does not exist") || lower.contains("pull access denied")) {
            return "The image " + ref + " was not found in its registry. Check the name and tag. (" + message + ")";
        }
        if (lower.contains("connection refused") || lower.contains("no such host") || lower.contains("dial tcp")) {
            return "The registry for " + ref + " cannot be reached. Is it running and is the address right? (" + message + ")";
        }
        return message;
    }
}
