package dev.muelle.desktop.images;

import dev.muelle.desktop.engine.ContainerSummary;
import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.EngineEvent;
import dev.muelle.desktop.engine.ImageLayer;
import dev.muelle.desktop.engine.ImageReference;
import dev.muelle.desktop.engine.ImageSummary;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import dev.muelle.desktop.text.Formats;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Images page: the engine's images with the containers that use them, kept current by image
 * and container events, and the image actions: pull, tag, push, delete, prune, history.
 */
public final class ImagesViewModel {

    private final EngineSession session;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final ObservableList<ImageItem> items = FXCollections.observableArrayList();
    private final FilteredList<ImageItem> visible = new FilteredList<>(items);
    private final StringProperty search = new SimpleStringProperty("");
    private final dev.muelle.desktop.session.CoalescedLoad<List<ImageItem>> load;

    public ImagesViewModel(EngineSession session, TaskExecutor tasks, Notifier notifier) {
        this.session = session;
        this.tasks = tasks;
        this.notifier = notifier;
        this.load = new dev.muelle.desktop.session.CoalescedLoad<>(session, tasks, "List images",
                client -> rows(client.images(), client.containers()), (rows, client) -> {
                    items.setAll(rows);
                    applySearch();
                }, e -> notifier.error("Could not list images", Notifier.plainMessage(e)));
        search.addListener((o, a, b) -> applySearch());
        session.clientProperty().addListener((o, old, client) -> {
            if (client == null) {
                items.clear();
            } else {
                refresh();
            }
        });
        session.addEventListener(this::onEvent);
        if (session.client() != null) {
            refresh();
        }
    }

    public ObservableList<ImageItem> items() {
        return items;
    }

    public ObservableList<ImageItem> visible() {
        return visible;
    }

    public StringProperty searchProperty() {
        return search;
    }

    /** The session's client, for dialogs opened from this page (pull, run). */
    public EngineSession session() {
        return session;
    }

    private void onEvent(EngineEvent e) {
        boolean containerCountChanged = e.type().equals("container")
                && (e.action().equals("create") || e.action().equals("destroy"));
        if (e.type().equals("image") || containerCountChanged) {
            refresh();
        }
    }

    public void refresh() {
        load.request();
    }

    static List<ImageItem> rows(List<ImageSummary> images, List<ContainerSummary> containers) {
        Map<String, List<String>> users = new HashMap<>();
        for (ContainerSummary c : containers) {
            if (c.imageId() != null) {
                users.computeIfAbsent(c.imageId(), k -> new ArrayList<>()).add(c.name());
            }
        }
        List<ImageItem> rows = new ArrayList<>();
        for (ImageSummary image : images) {
            List<String> usedBy = users.getOrDefault(image.id(), List.of());
            if (image.repoTags().isEmpty()) {
                rows.add(new ImageItem(image.shortId(), image, usedBy));
            }
            for (String tag : image.repoTags()) {
                rows.add(new ImageItem(tag, image, usedBy));
            }
        }
        rows.sort(java.util.Comparator.comparing(ImageItem::reference));
        return rows;
    }

    private void applySearch() {
        String needle = search.get() == null ? "" : search.get().trim().toLowerCase(Locale.ROOT);
        visible.setPredicate(needle.isEmpty() ? null
                : i -> (i.reference() + " " + i.image().shortId()).toLowerCase(Locale.ROOT).contains(needle));
    }

    /** A new pull, tracked by its own view-model (the pull dialog). */
    public PullViewModel newPull() {
        return new PullViewModel(session, tasks, notifier, this::refresh);
    }

    /** Validate a new name for {@code docker tag}; null when fine, else what is wrong. */
    public static String tagProblem(String reference) {
        if (reference == null || reference.isBlank()) {
            return "Enter a name such as myapp:1.0 or localhost:5000/myapp:1.0";
        }
        if (!reference.matches("[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?")) {
            return "Names are lower-case letters, digits and . _ - separated by /, with an optional :tag";
        }
        return null;
    }

    public void tag(ImageItem item, String newReference) {
        ImageReference ref = ImageReference.parse(newReference);
        act("Tag " + item.reference(), client -> client.tag(item.image().id(), ref.repository(), ref.tag()),
                "Tagged " + item.reference() + " as " + ref);
    }

    public void push(ImageItem item, Consumer<String> progressLine) {
        act("Push " + item.reference(), client -> client.push(item.reference(),
                p -> tasks.runOnUi(() -> progressLine.accept((p.layer() == null ? "" : p.layer() + ": ") + p.status()))),
                "Pushed " + item.reference());
    }

    /** Delete the tags (or untagged images) of the given rows; {@code force} removes images in use. */
    public void delete(List<ImageItem> targets, boolean force) {
        for (ImageItem item : targets) {
            String ref = item.tagged() ? item.reference() : item.image().id();
            act("Delete " + item.reference(), client -> client.removeImage(ref, force), "Deleted " + item.reference());
        }
    }

    public String deleteConfirmation(List<ImageItem> targets) {
        long inUse = targets.stream().filter(t -> !t.usedBy().isEmpty()).count();
        String what = targets.size() == 1 ? targets.get(0).reference() : targets.size() + " images";
        return "Delete " + what + "?" + (inUse > 0 ? " " + inUse + " of them are used by containers; "
                + "the engine refuses unless you force it." : "");
    }

    public void prune() {
        EngineClient client = session.client();
        if (client == null) {
            return;
        }
        BackgroundTask.wrap(client::pruneImages).withTitle("Prune images")
                .onSuccess(bytes -> notifier.info("Pruned images", "Reclaimed " + Formats.bytes(bytes)))
                .onFailure(e -> notifier.error("Prune failed", Notifier.plainMessage(e)))
                .onFinished(this::refresh)
                .executeWith(tasks);
    }

    /** The layers of an image, newest first, delivered to {@code sink} on the UI thread. */
    public void history(ImageItem item, Consumer<List<ImageLayer>> sink) {
        EngineClient client = session.client();
        if (client == null) {
            return;
        }
        BackgroundTask.wrap(() -> client.history(item.image().id())).withTitle("History of " + item.reference())
                .onSuccess(sink)
                .onFailure(e -> notifier.error("Could not read the history", Notifier.plainMessage(e)))
                .executeWith(tasks);
    }

    private void act(String title, EngineCall call, String done) {
        EngineClient client = session.client();
        if (client == null) {
            return;
        }
        BackgroundTask.wrap(() -> call.run(client)).withTitle(title)
                .onSuccess(v -> notifier.info(done, ""))
                .onFailure(e -> notifier.error(title + " failed", Notifier.plainMessage(e)))
                .onFinished(this::refresh)
                .executeWith(tasks);
    }

    @FunctionalInterface
    private interface EngineCall {
        void run(EngineClient client) throws Exception;
    }
}
