package dev.muelle.desktop.builds;

import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.Transfer;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Builds page: build a folder with a Dockerfile with tags and build args, show the output as it
 * streams with each step marked cached or built, and keep a history of builds and their results.
 *
 * <p>Tags are written separated by spaces or commas; build args one {@code NAME=value} per line.
 * Only one build runs at a time ({@link #canBuild}). Steps and output belong to the latest build;
 * the history lists every build, newest first, and is saved through {@link BuildHistory}.
 */
public final class BuildsViewModel {

    private final EngineSession session;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final BuildHistory historyStore;
    private final Clock clock;
    private final StringProperty folder = new SimpleStringProperty("");
    private final StringProperty tags = new SimpleStringProperty("");
    private final StringProperty args = new SimpleStringProperty("");
    private final ReadOnlyBooleanWrapper building = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper output = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ObservableList<BuildStep> steps = FXCollections.observableArrayList();
    private final ObservableList<BuildRecord> history = FXCollections.observableArrayList();
    private final BooleanBinding canBuild;
    private Transfer running;

    public BuildsViewModel(EngineSession session, TaskExecutor tasks, Notifier notifier, BuildHistory historyStore, Clock clock) {
        this.session = session;
        this.tasks = tasks;
        this.notifier = notifier;
        this.historyStore = historyStore;
        this.clock = clock;
        this.canBuild = Bindings.createBooleanBinding(() -> !building.get() && !folder.get().isBlank(), building, folder);
        history.setAll(historyStore.load());
    }

    public StringProperty folderProperty() {
        return folder;
    }

    public StringProperty tagsProperty() {
        return tags;
    }

    public StringProperty argsProperty() {
        return args;
    }

    public ReadOnlyBooleanProperty buildingProperty() {
        return building.getReadOnlyProperty();
    }

    public BooleanBinding canBuild() {
        return canBuild;
    }

    /** The latest build's output so far. */
    public ReadOnlyStringProperty outputProperty() {
        return output.getReadOnlyProperty();
    }

    /** How the latest build went, or why it could not start. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The latest build's steps, in order, updated as the output streams. */
    public ObservableList<BuildStep> steps() {
        return FXCollections.unmodifiableObservableList(steps);
    }

    /** Every build, newest first. */
    public ObservableList<BuildRecord> history() {
        return FXCollections.unmodifiableObservableList(history);
    }

    /** Build the folder with the tags and args as they are now. */
    public void build() {
        if (!canBuild.get()) {
            return;
        }
        Path context = Path.of(folder.get().trim());
        List<String> tagList = tags(tags.get());
        Map<String, String> argMap;
        try {
            argMap = buildArgs(args.get());
        } catch (IllegalArgumentException e) {
            message.set(e.getMessage());
            return;
        }
        steps.clear();
        output.set("");
        message.set("Building " + context + " …");
        building.set(true);
        BuildOutputParser parser = new BuildOutputParser(step -> tasks.runOnUi(() -> show(step)));
        Transfer control = Transfer.untracked();
        running = control;
        BackgroundTask.wrap(() -> {
                    if (!Files.isRegularFile(context.resolve("Dockerfile"))) {
                        throw new EngineException.Failed("there is no Dockerfile in " + context, null);
                    }
                    return session.client().build(context, new LinkedHashSet<>(tagList), argMap, chunk -> {
                        parser.accept(chunk);
                        tasks.runOnUi(() -> output.set(output.get() + chunk));
                    }, control);
                })
                .withTitle("Build " + context)
                .onSuccess(id -> {
                    List<BuildStep> done = parser.finish(true);
                    steps.setAll(done);
                    BuildRecord r = BuildRecord.of(clock.instant(), context.toString(), tagList, BuildRecord.Result.SUCCEEDED,
                            id, "", done);
                    message.set("Built " + shortId(id) + ": " + r.cachedSteps() + " steps cached, " + r.builtSteps() + " built");
                    remember(r);
                    notifier.info("Built", context.getFileName() + (tagList.isEmpty() ? "" : " as " + String.join(", ", tagList)));
                })
                .onFailure(e -> {
                    if (e instanceof Transfer.Cancelled) {
                        List<BuildStep> done = parser.cancelled();
                        steps.setAll(done);
                        message.set("Build cancelled.");
                        remember(BuildRecord.of(clock.instant(), context.toString(), tagList, BuildRecord.Result.CANCELLED, "",
                                "cancelled by the user", done));
                        return;
                    }
                    List<BuildStep> done = parser.finish(false);
                    steps.setAll(done);
                    String why = Notifier.plainMessage(e);
                    message.set("The build failed: " + why);
                    remember(BuildRecord.of(clock.instant(), context.toString(), tagList, BuildRecord.Result.FAILED, "", why, done));
                })
                .onFinished(() -> {
                    building.set(false);
                    running = null;
                })
                .executeWith(tasks);
    }

    /** Stop the running build: its request is closed, the engine stops it, the history records it as cancelled. */
    public void cancel() {
        Transfer control = running;
        if (control != null) {
            message.set("Cancelling the build …");
            control.cancel();
        }
    }

    private void show(BuildStep step) {
        // Posted updates may arrive after the build finished and set the final list; the final list wins.
        if (!building.get()) {
            return;
        }
        int index = step.number() - 1;
        if (index < steps.size()) {
            steps.set(index, step);
        } else if (index == steps.size()) {
            steps.add(step);
        }
    }

    private void remember(BuildRecord record) {
        history.add(0, record);
        List<BuildRecord> snapshot = new ArrayList<>(history);
        BackgroundTask.wrap(() -> historyStore.save(snapshot)).withTitle("Save the build history").executeWith(tasks);
    }

    static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /** Tags separated by spaces or commas, blanks dropped, order kept. */
    static List<String> tags(String text) {
        return Arrays.stream(text.split("[\\s,]+")).filter(t -> !t.isBlank()).distinct().toList();
    }

    /** One {@code NAME=value} per line; blank lines are skipped, a line without a name is refused. */
    static Map<String, String> buildArgs(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            String name = (eq < 0 ? line : line.substring(0, eq)).strip();
            if (name.isEmpty() || name.contains(" ")) {
                throw new IllegalArgumentException("Build args are NAME=value, one per line; \"" + line.strip() + "\" is not.");
            }
            result.put(name, eq < 0 ? "" : line.substring(eq + 1));
        }
        return result;
    }
}
