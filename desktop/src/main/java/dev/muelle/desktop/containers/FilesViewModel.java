package dev.muelle.desktop.containers;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.FileEntry;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;

/**
 * The Files tab: browse a container's filesystem one directory at a time and download files,
 * through the engine's archive API (so it works on stopped containers too).
 */
public final class FilesViewModel {

    private final EngineClient client;
    private final String containerId;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final ObservableList<FileEntry> entries = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper directory = new ReadOnlyStringWrapper("/");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");

    public FilesViewModel(EngineClient client, String containerId, TaskExecutor tasks, Notifier notifier) {
        this.client = client;
        this.containerId = containerId;
        this.tasks = tasks;
        this.notifier = notifier;
    }

    public ObservableList<FileEntry> entries() {
        return entries;
    }

    public ReadOnlyStringProperty directoryProperty() {
        return directory.getReadOnlyProperty();
    }

    /** Why the listing failed (e.g. an engine without the archive API), else empty. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public void open(String dir) {
        BackgroundTask.wrap(() -> client.listFiles(containerId, dir)).withTitle("List " + dir)
                .onSuccess(list -> {
                    directory.set(dir);
                    entries.setAll(list);
                    error.set("");
                })
                .onFailure(e -> error.set(e instanceof dev.muelle.desktop.engine.EngineException.NotFound nf
                        && nf.getMessage().contains("page not found")
                        ? "This engine does not offer the archive API (GET /containers/{id}/archive) yet, so its files cannot be browsed."
                        : "Cannot list " + dir + ": " + Notifier.plainMessage(e)))
                .executeWith(tasks);
    }

    /** Enter a directory (or follow a link to one); files are downloaded instead. */
    public void enter(FileEntry entry) {
        if (entry.directory() || entry.kind() == FileEntry.Kind.SYMLINK) {
            open(entry.path());
        }
    }

    public void up() {
        String dir = directory.get();
        if (dir.equals("/")) {
            return;
        }
        int slash = dir.lastIndexOf('/');
        open(slash <= 0 ? "/" : dir.substring(0, slash));
    }

    public void download(FileEntry entry, Path target) {
        BackgroundTask.wrap(() -> client.downloadFile(containerId, entry.path(), target))
                .withTitle("Download " + entry.name())
                .onSuccess(v -> notifier.info("Downloaded " + entry.name(), "Saved to " + target))
                .onFailure(e -> notifier.error("Download failed", Notifier.plainMessage(e)))
                .executeWith(tasks);
    }
}
