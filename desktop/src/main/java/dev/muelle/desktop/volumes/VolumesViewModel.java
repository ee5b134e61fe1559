package dev.muelle.desktop.volumes;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.VolumeSummary;
import dev.muelle.desktop.session.EngineList;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import dev.muelle.desktop.text.Formats;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.Map;

/**
 * The Volumes page: the engine's volumes (kept current by volume and container events), whole-
 * volume actions (create, delete, prune, export, import, clone) and the {@link VolumeBrowserViewModel}
 * that opens one of them.
 */
public final class VolumesViewModel {

    private final EngineSession session;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final EngineList<VolumeSummary> list;
    private final VolumeBrowserViewModel browser;

    public VolumesViewModel(EngineSession session, TaskExecutor tasks, Notifier notifier) {
        this.session = session;
        this.tasks = tasks;
        this.notifier = notifier;
        this.list = new EngineList<>(session, tasks, "volumes", EngineClient::volumes,
                e -> e.type().equals("volume") || e.type().equals("container")
                        && (e.action().equals("create") || e.action().equals("destroy")));
        this.browser = new VolumeBrowserViewModel(session, tasks, notifier);
    }

    public ObservableList<VolumeSummary> items() {
        return list.items();
    }

    public VolumeBrowserViewModel browser() {
        return browser;
    }

    /** Why the list is empty when the engine refused it, else empty. */
    public ReadOnlyStringProperty problemProperty() {
        return list.problemProperty();
    }

    public void refresh() {
        list.refresh();
    }

    private EngineClient client() {
        return session.client();
    }

    public void create(String name, Map<String, String> labels) {
        BackgroundTask.wrap(() -> client().createVolume(name, labels)).withTitle("Create volume " + name)
                .onSuccess(x -> refresh()).executeWith(tasks);
    }

    /** The confirmation for deleting {@code volume}: says who still uses it. */
    public String deleteQuestion(VolumeSummary volume) {
        return volume.usedBy().isEmpty() ? "Delete volume " + volume.name() + " and all its files?"
                : "Volume " + volume.name() + " is used by " + String.join(", ", volume.usedBy())
                + "; the engine will refuse while they exist. Delete it anyway?";
    }

    public void delete(VolumeSummary volume) {
        BackgroundTask.wrap(() -> client().removeVolume(volume.name())).withTitle("Delete volume " + volume.name())
                .onSuccess(x -> refresh()).executeWith(tasks);
    }

    public void prune() {
        BackgroundTask.wrap(() -> client().pruneVolumes()).withTitle("Prune volumes")
                .onSuccess(bytes -> {
                    notifier.info("Pruned volumes", Formats.bytes(bytes) + " reclaimed");
                    refresh();
                }).executeWith(tasks);
    }

    /** The whole volume to a tar file on this computer. */
    public void export(String volume, Path target) {
        browser.runTransfer("Export " + volume, t -> client().volumeFiles().export(volume, target, t),
                () -> notifier.info("Exported", volume + " → " + target),
                e -> "Could not export " + volume + ": " + Notifier.plainMessage(e));
    }

    /** A new volume {@code name} from a tar file written by {@link #export}. */
    public void importVolume(String name, Path tar) {
        browser.runTransfer("Import " + name, t -> client().volumeFiles().importVolume(name, tar, t), () -> {
            notifier.info("Imported", tar.getFileName() + " → volume " + name);
            refresh();
        }, e -> "Could not import " + name + ": " + Notifier.plainMessage(e));
    }

    public void cloneVolume(String volume, String to) {
        BackgroundTask.wrap(() -> client().volumeFiles().cloneVolume(volume, to)).withTitle("Clone " + volume)
                .onSuccess(x -> {
                    notifier.info("Cloned", volume + " → " + to);
                    refresh();
                }).executeWith(tasks);
    }
}
