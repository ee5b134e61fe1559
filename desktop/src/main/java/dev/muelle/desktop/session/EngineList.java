package dev.muelle.desktop.session;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.EngineEvent;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A list of engine objects that stays current: loaded when an engine connects, emptied when it
 * goes, reloaded (coalesced) on the events that concern it. An engine that refuses the list (no
 * such API) leaves the reason in {@link #problemProperty} instead of an unexplained empty table.
 */
public final class EngineList<T> {

    private final ObservableList<T> items = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final CoalescedLoad<List<T>> load;

    /**
     * @param what plural noun for messages ("volumes")
     * @param relevant which events make the list stale
     */
    public EngineList(EngineSession session, TaskExecutor tasks, String what, Function<EngineClient, List<T>> call,
                      Predicate<EngineEvent> relevant) {
        this.load = new CoalescedLoad<>(session, tasks, "List " + what, call, (list, client) -> {
            items.setAll(list);
            problem.set("");
        }, e -> problem.set("This engine did not list its " + what + ": " + Notifier.plainMessage(e)));
        session.clientProperty().addListener((o, old, client) -> {
            if (client == null) {
                items.clear();
            } else {
                load.request();
            }
        });
        session.addEventListener(e -> {
            if (relevant.test(e)) {
                load.request();
            }
        });
        if (session.client() != null) {
            load.request();
        }
    }

    public ObservableList<T> items() {
        return items;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public void refresh() {
        load.request();
    }
}
