package dev.muelle.desktop.volumes;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.VolumeSummary;
import dev.muelle.desktop.session.EngineList;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.ObservableList;

/** The Volumes page: the engine's volumes, kept current by volume events. */
public final class VolumesViewModel {

    private final EngineList<VolumeSummary> list;

    public VolumesViewModel(EngineSession session, TaskExecutor tasks) {
        this.list = new EngineList<>(session, tasks, "volumes", EngineClient::volumes, e -> e.type().equals("volume"));
    }

    public ObservableList<VolumeSummary> items() {
        return list.items();
    }

    /** Why the list is empty when the engine refused it, else empty. */
    public ReadOnlyStringProperty problemProperty() {
        return list.problemProperty();
    }

    public void refresh() {
        list.refresh();
    }
}
