package dev.muelle.desktop.containers;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.LogLine;
import dev.muelle.desktop.engine.StreamListener;
import dev.muelle.desktop.engine.Subscription;
import dev.muelle.desktop.task.TaskExecutor;
import dev.muelle.desktop.text.AnsiText;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Logs tab: the last lines of a container's output, then new lines as they come (follow).
 *
 * <p>Lines arrive on the stream's thread and are handed to the UI thread in batches (one posted
 * action per burst, however many lines), so a chatty container cannot flood the UI queue. At most
 * {@link #MAX_LINES} lines are kept. Turning timestamps on reopens the stream, since the engine
 * adds them.
 */
public final class LogsViewModel {

    static final int MAX_LINES = 5000;
    private static final int TAIL = 1000;

    private final EngineClient client;
    private final String containerId;
    private final TaskExecutor tasks;
    private final ObservableList<LogLine> lines = FXCollections.observableArrayList();
    private final FilteredList<LogLine> shown = new FilteredList<>(lines);
    private final BooleanProperty follow = new SimpleBooleanProperty(true);
    private final BooleanProperty timestamps = new SimpleBooleanProperty(false);
    private final StringProperty search = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ConcurrentLinkedQueue<LogLine> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushPosted = new AtomicBoolean();
    private Subscription stream;
    private int generation;

    public LogsViewModel(EngineClient client, String containerId, TaskExecutor tasks) {
        this.client = client;
        this.containerId = containerId;
        this.tasks = tasks;
        search.addListener((o, a, b) -> applySearch());
        follow.addListener((o, a, b) -> reopen());
        timestamps.addListener((o, a, b) -> reopen());
    }

    /** All kept lines, oldest first. */
    public ObservableList<LogLine> lines() {
        return lines;
    }

    /** The lines that contain the search text (all lines when it is empty). */
    public ObservableList<LogLine> shown() {
        return shown;
    }

    public BooleanProperty followProperty() {
        return follow;
    }

    public BooleanProperty timestampsProperty() {
        return timestamps;
    }

    public StringProperty searchProperty() {
        return search;
    }

    /** "Following", "Stream ended", or the error that ended it. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Open the stream (the tab became visible). */
    public void open() {
        if (stream != null) {
            return;
        }
        int mine = ++generation;
        lines.clear();
        incoming.clear();
        status.set(follow.get() ? "Following" : "Loading");
        boolean withTimes = timestamps.get();
        boolean following = follow.get();
        // Opening the stream is an engine call: do it off the UI thread.
        tasks.execute(dev.muelle.desktop.task.BackgroundTask.wrap(() -> client.logs(containerId, TAIL, following, withTimes,
                new StreamListener<>() {
                    @Override
                    public void onItem(LogLine line) {
                        incoming.add(line);
                        if (flushPosted.compareAndSet(false, true)) {
                            tasks.runOnUi(() -> flush(mine));
                        }
                    }

                    @Override
                    public void onEnd() {
                        tasks.runOnUi(() -> {
                            flush(mine);
                            if (mine == generation) {
                                status.set(following ? "The container stopped; no more lines" : "");
                            }
                        });
                    }

                    @Override
                    public void onError(EngineException error) {
                        tasks.runOnUi(() -> {
                            flush(mine);
                            if (mine == generation) {
                                status.set(error.getMessage());
                            }
                        });
                    }
                })).onSuccess(s -> {
                    if (mine == generation) {
                        stream = s;
                    } else {
                        s.close();
                    }
                }).onFailure(e -> status.set(dev.muelle.desktop.task.Notifier.plainMessage(e))));
    }

    /** Close the stream (the tab was hidden or the detail closed). */
    public void close() {
        generation++;
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }

    private void reopen() {
        if (stream != null || generation > 0) {
            close();
            open();
        }
    }

    private void flush(int mine) {
        flushPosted.set(false);
        List<LogLine> batch = new ArrayList<>();
        LogLine line;
        while ((line = incoming.poll()) != null) {
            batch.add(line);
        }
        if (mine != generation || batch.isEmpty()) {
            return;
        }
        lines.addAll(batch);
        if (lines.size() > MAX_LINES) {
            lines.remove(0, lines.size() - MAX_LINES);
        }
    }

    private void applySearch() {
        String needle = search.get() == null ? "" : search.get().toLowerCase(Locale.ROOT);
        shown.setPredicate(needle.isEmpty() ? null
                : l -> AnsiText.plain(l.text()).toLowerCase(Locale.ROOT).contains(needle));
    }

    /** The shown lines as plain text (no colour codes), for the clipboard and for saving. */
    public String shownText() {
        StringBuilder s = new StringBuilder();
        for (LogLine l : shown) {
            if (l.timestamp() != null) {
                s.append(l.timestamp()).append(' ');
            }
            s.append(AnsiText.plain(l.text())).append('\n');
        }
        return s.toString();
    }

    public void save(Path file) throws IOException {
        Files.writeString(file, shownText(), StandardCharsets.UTF_8);
    }
}
