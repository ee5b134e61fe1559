package dev.muelle.desktop.networks;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.NetworkSummary;
import dev.muelle.desktop.session.EngineList;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;

/**
 * The Networks page: the engine's networks with their subnets and connected containers (kept
 * current by network events), and create, connect, disconnect and delete. A delete the engine
 * refuses because containers are attached says which ones.
 */
public final class NetworksViewModel {

    private final EngineSession session;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final EngineList<NetworkSummary> list;
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    public NetworksViewModel(EngineSession session, TaskExecutor tasks, Notifier notifier) {
        this.session = session;
        this.tasks = tasks;
        this.notifier = notifier;
        this.list = new EngineList<>(session, tasks, "networks", EngineClient::networks,
                e -> e.type().equals("network") || e.type().equals("container") && e.action().equals("start"));
    }

    public ObservableList<NetworkSummary> items() {
        return list.items();
    }

    /** Why the list is empty when the engine refused it, else empty. */
    public ReadOnlyStringProperty problemProperty() {
        return list.problemProperty();
    }

    /** The outcome the user must read (a refused delete), else empty. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public void refresh() {
        list.refresh();
    }

    /** Subnet and gateway may be blank: the engine picks a free pool. */
    public void create(String name, String subnet, String gateway, boolean internal) {
        BackgroundTask.wrap(() -> session.client().createNetwork(name, subnet, gateway, internal))
                .withTitle("Create network " + name)
                .onSuccess(id -> {
                    message.set("");
                    refresh();
                })
                .onFailure(e -> message.set("Could not create " + name + ": " + Notifier.plainMessage(e)))
                .executeWith(tasks);
    }

    public void connect(NetworkSummary network, String container) {
        BackgroundTask.wrap(() -> session.client().connect(network.id(), container))
                .withTitle("Connect " + container + " to " + network.name())
                .onSuccess(x -> refresh()).executeWith(tasks);
    }

    public void disconnect(NetworkSummary network, NetworkSummary.Endpoint endpoint) {
        BackgroundTask.wrap(() -> session.client().disconnect(network.id(), endpoint.containerId()))
                .withTitle("Disconnect " + endpoint.containerName() + " from " + network.name())
                .onSuccess(x -> refresh()).executeWith(tasks);
    }

    public void delete(NetworkSummary network) {
        BackgroundTask.wrap(() -> session.client().removeNetwork(network.id())).withTitle("Delete network " + network.name())
                .onSuccess(x -> {
                    message.set("");
                    notifier.info("Deleted", "network " + network.name());
                    refresh();
                })
                .onFailure(e -> message.set(explainDelete(network, e)))
                .executeWith(tasks);
    }

    static String explainDelete(NetworkSummary network, Exception e) {
        if (e instanceof EngineException.Conflict || e instanceof EngineException.Failed && !network.containers().isEmpty()) {
            return "Network " + network.name() + " can't be deleted while containers are connected to it ("
                    + String.join(", ", network.containers().stream().map(NetworkSummary.Endpoint::containerName).toList())
                    + "). Disconnect them or remove them first. The engine said: " + Notifier.plainMessage(e);
        }
        return "Could not delete network " + network.name() + ": " + Notifier.plainMessage(e);
    }
}
