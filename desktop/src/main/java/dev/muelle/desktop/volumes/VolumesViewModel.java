package dev.muelle.desktop.volumes;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.VolumeSummary;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Volumes page: the engine's volumes as a list, kept current by volume events. An engine
 * without the volumes API shows why in {@link #problemProperty} instead of an empty table.
 */
public final class VolumesViewModel {

    private final EngineSession session;
    private final TaskExecutor tasks;
    private final ObservableList<VolumeSummary> items = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");

    public VolumesViewModel(EngineSession session, TaskExecutor tasks) {
        this.session = session;
        this.tasks = tasks;
        session.clientProperty().addListener((o, old, client) -> {
            if (client == null) {
                items.clear();
            } else {
                refresh();
            }
        });
        session.addEventListener(e -> {
            if (e.type().equals("volume")) {
                refresh();
            }
        });
        if (session.client() != null) {
            refresh();
        }
    }

    public ObservableList<VolumeSummary> items() {
        return items;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public void refresh() {
        EngineClient client = session.client();
        if (client == null) {
            return;
        }
        BackgroundTask.wrap(client::volumes).withTitle("List volumes")
                .onSuccess(list -> {
                    items.setAll(list);
                    problem.set("");
                })
                .onFailure(e -> problem.set("This engine did not list its volumes: " + Notifier.plainMessage(e)))
                .executeWith(tasks);
    }
}
