package dev.muelle.desktop.networks;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.NetworkSummary;
import dev.muelle.desktop.session.EngineList;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.ObservableList;

/** The Networks page: the engine's networks, kept current by network events. */
public final class NetworksViewModel {

    private final EngineList<NetworkSummary> list;

    public NetworksViewModel(EngineSession session, TaskExecutor tasks) {
        this.list = new EngineList<>(session, tasks, "networks", EngineClient::networks, e -> e.type().equals("network"));
    }

    public ObservableList<NetworkSummary> items() {
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
