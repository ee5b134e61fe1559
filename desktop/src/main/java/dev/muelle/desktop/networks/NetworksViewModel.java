package dev.muelle.desktop.networks;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.NetworkSummary;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Networks page: the engine's networks as a list, kept current by network events. An engine
 * without the networks API shows why in {@link #problemProperty} instead of an empty table.
 */
public final class NetworksViewModel {

    private final EngineSession session;
    private final TaskExecutor tasks;
    private final ObservableList<NetworkSummary> items = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");

    public NetworksViewModel(EngineSession session, TaskExecutor tasks) {
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
            if (e.type().equals("network")) {
                refresh();
            }
        });
        if (session.client() != null) {
            refresh();
        }
    }

    public ObservableList<NetworkSummary> items() {
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
        BackgroundTask.wrap(client::networks).withTitle("List networks")
                .onSuccess(list -> {
                    items.setAll(list);
                    problem.set("");
                })
                .onFailure(e -> problem.set("This engine did not list its networks: " + Notifier.plainMessage(e)))
                .executeWith(tasks);
    }
}
