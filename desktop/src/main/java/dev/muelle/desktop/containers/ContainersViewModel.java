package dev.muelle.desktop.containers;

import dev.muelle.desktop.engine.ContainerSummary;
import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.EngineEvent;
import dev.muelle.desktop.engine.StatsSample;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import dev.muelle.desktop.text.Formats;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The Containers page: every container of the engine, kept current by the event stream, with
 * search, a state filter, grouping by compose project and the lifecycle actions.
 *
 * <p>Refreshes are coalesced: a burst of events (create, attach, start ...) causes at most one
 * list call in flight and one after it. CPU and memory are read once per refresh for running
 * containers, never on a timer, so an idle window makes no engine calls at all.
 */
public final class ContainersViewModel {

    /** The state filter above the table. */
    public enum Filter { ALL, RUNNING, STOPPED }

    /** A lifecycle action the toolbar offers for one or many containers. */
    public enum Action {
        START("Start", false), STOP("Stop", true), RESTART("Restart", false), PAUSE("Pause", false),
        UNPAUSE("Resume", false), DELETE("Delete", true);

        private final String label;
        private final boolean destructive;

        Action(String label, boolean destructive) {
            this.label = label;
            this.destructive = destructive;
        }

        public String label() {
            return label;
        }

        /** Whether the user must confirm before it runs (it ends processes or removes data). */
        public boolean destructive() {
            return destructive;
        }
    }

    private final EngineSession session;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final ObservableList<ContainerItem> items = FXCollections.observableArrayList();
    private final FilteredList<ContainerItem> visible = new FilteredList<>(items);
    private final StringProperty search = new SimpleStringProperty("");
    private final ObjectProperty<Filter> filter = new SimpleObjectProperty<>(Filter.ALL);
    private final ReadOnlyStringWrapper summaryLine = new ReadOnlyStringWrapper("");
    private final ObservableList<String> busy = FXCollections.observableArrayList();
    private final javafx.beans.property.ReadOnlyBooleanWrapper loaded = new javafx.beans.property.ReadOnlyBooleanWrapper();
    private final dev.muelle.desktop.session.CoalescedLoad<List<ContainerSummary>> load;

    public ContainersViewModel(EngineSession session, TaskExecutor tasks, Notifier notifier) {
        this.session = session;
        this.tasks = tasks;
        this.notifier = notifier;
        this.load = new dev.muelle.desktop.session.CoalescedLoad<>(session, tasks, "List containers",
                EngineClient::containers, this::merge,
                e -> notifier.error("Could not list containers", Notifier.plainMessage(e)));
        search.addListener((o, a, b) -> applyFilter());
        filter.addListener((o, a, b) -> applyFilter());
        session.clientProperty().addListener((o, old, client) -> {
            if (client == null) {
                items.clear();
                loaded.set(false);
                updateSummary();
            } else {
                loadFirst(client);
            }
        });
        session.addEventListener(this::onEvent);
        if (session.client() != null) {
            loadFirst(session.client());
        }
    }

    /** On connecting: show the list the early search read at once (if any), then read a fresh one. */
    private void loadFirst(EngineClient client) {
        List<ContainerSummary> early = session.takeEarlyContainers();
        if (early != null) {
            merge(early, client);
        }
        refresh();
    }

    public ObservableList<ContainerItem> items() {
        return items;
    }

    /** The containers that pass the search and filter, in engine order. */
    public ObservableList<ContainerItem> visible() {
        return visible;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public ObjectProperty<Filter> filterProperty() {
        return filter;
    }

    /** "3 containers, 2 running" — and the footer's aggregate usage. */
    public ReadOnlyStringProperty summaryLineProperty() {
        return summaryLine.getReadOnlyProperty();
    }

    /** Whether the list has been read from the current engine at least once. */
    public javafx.beans.property.ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    /** IDs with an action in flight (their row shows a spinner, their buttons are off). */
    public ObservableList<String> busy() {
        return busy;
    }

    public ContainerItem find(String id) {
        return items.stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
    }

    /**
     * The visible containers grouped for the table: compose projects (label
     * {@code com.docker.compose.project}) first by name, then the containers outside any project
     * under the key null.
     */
    public Map<String, List<ContainerItem>> groups() {
        Map<String, List<ContainerItem>> projects = new java.util.TreeMap<>();
        List<ContainerItem> loose = new ArrayList<>();
        for (ContainerItem item : visible) {
            String project = item.summary().composeProject();
            if (project == null || project.isBlank()) {
                loose.add(item);
            } else {
                projects.computeIfAbsent(project, p -> new ArrayList<>()).add(item);
            }
        }
        Map<String, List<ContainerItem>> groups = new LinkedHashMap<>(projects);
        groups.put(null, loose);
        return groups;
    }

    private void onEvent(EngineEvent event) {
        if (event.type().equals("container") && event.changesLists()) {
            refresh();
        }
    }

    /** Reload the list from the engine (coalesced with a refresh already in flight). */
    public void refresh() {
        load.request();
    }

    private void merge(List<ContainerSummary> fresh, EngineClient client) {
        Map<String, ContainerItem> existing = new HashMap<>();
        items.forEach(i -> existing.put(i.id(), i));
        List<ContainerItem> next = new ArrayList<>();
        List<ContainerItem> toSample = new ArrayList<>();
        for (ContainerSummary s : fresh) {
            ContainerItem item = existing.remove(s.id());
            boolean wasRunning = item != null && item.summary().running();
            if (item == null) {
                item = new ContainerItem(s);
            } else {
                item.update(s);
            }
            if (s.running() && (!wasRunning || item.usage() == null)) {
                toSample.add(item);
            }
            next.add(item);
        }
        if (!next.equals(items)) {
            items.setAll(next);
        }
        applyFilter();
        updateSummary();
        loaded.set(true);
        sampleUsage(toSample, client);
    }

    /**
     * One stats reading per newly running container, off the UI thread. The engine takes about a
     * second per reading (it waits for a second CPU sample), so up to {@link #SAMPLERS} run at once.
     */
    private void sampleUsage(List<ContainerItem> targets, EngineClient client) {
        for (List<ContainerItem> batch : batches(targets, SAMPLERS)) {
            BackgroundTask.wrap(() -> {
                Map<ContainerItem, StatsSample> samples = new HashMap<>();
                for (ContainerItem item : batch) {
                    try {
                        samples.put(item, client.statsOnce(item.id()));
                    } catch (RuntimeException e) {
                        // Stopped meanwhile: its row shows no usage.
                    }
                }
                return samples;
            }).withTitle("Read container usage")
                    .onSuccess(samples -> {
                        samples.forEach(ContainerItem::usage);
                        updateSummary();
                    })
                    .onFailure(e -> { })
                    .executeWith(tasks);
        }
    }

    private static final int SAMPLERS = 6;

    /** {@code items} dealt round-robin into at most {@code n} lists. */
    private static <T> List<List<T>> batches(List<T> items, int n) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (out.size() < n) {
                out.add(new ArrayList<>());
            }
            out.get(i % n).add(items.get(i));
        }
        return out;
    }

    private void applyFilter() {
        String needle = search.get() == null ? "" : search.get().trim().toLowerCase(Locale.ROOT);
        Filter f = filter.get();
        Predicate<ContainerItem> p = item -> {
            ContainerSummary s = item.summary();
            boolean stateOk = switch (f) {
                case ALL -> true;
                case RUNNING -> s.running() || s.paused();
                case STOPPED -> !s.running() && !s.paused();
            };
            if (!stateOk) {
                return false;
            }
            if (needle.isEmpty()) {
                return true;
            }
            String project = s.composeProject() == null ? "" : s.composeProject();
            return (s.name() + " " + s.image() + " " + s.shortId() + " " + project + " " + s.status())
                    .toLowerCase(Locale.ROOT).contains(needle);
        };
        // A new predicate object makes the FilteredList re-evaluate after summaries changed.
        visible.setPredicate(p::test);
    }

    private void updateSummary() {
        long running = items.stream().filter(i -> i.summary().running()).count();
        double cpu = items.stream().filter(i -> i.usage() != null).mapToDouble(i -> i.usage().cpuPercent()).sum();
        long memory = items.stream().filter(i -> i.usage() != null).mapToLong(i -> i.usage().memoryUsage()).sum();
        summaryLine.set(String.format(Locale.ROOT, "%d container%s, %d running · containers use %.1f %% CPU, %s",
                items.size(), items.size() == 1 ? "" : "s", running, cpu, Formats.bytes(memory)));
    }

    /** Whether {@code action} applies to a container in its current state. */
    public static boolean applies(Action action, ContainerSummary s) {
        return switch (action) {
            case START -> !s.running() && !s.paused();
            case STOP, RESTART -> s.running() || s.paused();
            case PAUSE -> s.running();
            case UNPAUSE -> s.paused();
            case DELETE -> true;
        };
    }

    /** The question to ask before a destructive action, or null when none is needed. */
    public String confirmation(Action action, List<ContainerItem> targets) {
        if (!action.destructive() || targets.isEmpty()) {
            return null;
        }
        String what = targets.size() == 1 ? "\"" + targets.get(0).summary().name() + "\"" : targets.size() + " containers";
        return switch (action) {
            case STOP -> "Stop " + what + "? Their processes get SIGTERM, then SIGKILL after 10 s.";
            case DELETE -> "Delete " + what + "? Running ones are killed first; their writable layer is lost.";
            default -> null;
        };
    }

    /** Run {@code action} on each target where it applies; one notification for the whole batch. */
    public void perform(Action action, List<ContainerItem> targets) {
        EngineClient client = session.client();
        List<ContainerItem> applicable = targets.stream().filter(t -> applies(action, t.summary())).toList();
        if (client == null || applicable.isEmpty()) {
            return;
        }
        List<String> ids = applicable.stream().map(ContainerItem::id).toList();
        List<String> names = applicable.stream().map(t -> t.summary().name()).toList();
        busy.addAll(ids);
        BackgroundTask.wrap(() -> {
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                try {
                    switch (action) {
                        case START -> client.start(ids.get(i));
                        case STOP -> client.stop(ids.get(i));
                        case RESTART -> client.restart(ids.get(i));
                        case PAUSE -> client.pause(ids.get(i));
                        case UNPAUSE -> client.unpause(ids.get(i));
                        case DELETE -> client.remove(ids.get(i), true);
                    }
                } catch (RuntimeException e) {
                    failures.add(names.get(i) + ": " + Notifier.plainMessage(e));
                }
            }
            return failures;
        }).withTitle(action.label() + " " + String.join(", ", names))
                .onSuccess(failures -> {
                    if (failures.isEmpty()) {
                        notifier.info(action.label() + " done", String.join(", ", names));
                    } else {
                        notifier.error(action.label() + " failed", String.join("\n", failures));
                    }
                })
                .onFinished(() -> {
                    ids.forEach(busy::remove);
                    refresh();
                })
                .executeWith(tasks);
    }
}
