package dev.muelle.desktop.containers;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.StatsSample;
import dev.muelle.desktop.engine.StreamListener;
import dev.muelle.desktop.engine.Subscription;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import dev.muelle.desktop.text.Formats;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Locale;

/**
 * The Stats tab: live CPU, memory, network and block I/O of one container while the tab is open
 * (and only then: closing the tab closes the stream). Keeps the last {@link #WINDOW} seconds.
 *
 * <p>Network and block I/O come from the engine as counters; the charts show rates (bytes per
 * second between two samples).
 */
public final class StatsViewModel {

    /** One point of the charts. */
    public record Point(long second, double cpuPercent, double memoryMiB, double rxPerSecond, double txPerSecond,
                        double readPerSecond, double writePerSecond) {
    }

    static final int WINDOW = 60;

    private final EngineClient client;
    private final String containerId;
    private final TaskExecutor tasks;
    private final ObservableList<Point> points = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper headline = new ReadOnlyStringWrapper("");
    private Subscription stream;
    private StatsSample previous;
    private long second;
    private int generation;

    public StatsViewModel(EngineClient client, String containerId, TaskExecutor tasks) {
        this.client = client;
        this.containerId = containerId;
        this.tasks = tasks;
    }

    public ObservableList<Point> points() {
        return points;
    }

    /** "CPU 3.2 % · Memory 12.1 MiB of 256 MiB · Net ↓1.2 KiB ↑300 B · Block ..." */
    public ReadOnlyStringProperty headlineProperty() {
        return headline.getReadOnlyProperty();
    }

    public void open() {
        if (stream != null) {
            return;
        }
        int mine = ++generation;
        headline.set("Waiting for the first reading …");
        BackgroundTask.wrap(() -> client.stats(containerId, new StreamListener<>() {
            @Override
            public void onItem(StatsSample sample) {
                tasks.runOnUi(() -> {
                    if (mine == generation) {
                        add(sample);
                    }
                });
            }

            @Override
            public void onEnd() {
                tasks.runOnUi(() -> {
                    if (mine == generation) {
                        headline.set("The container is not running.");
                    }
                });
            }

            @Override
            public void onError(EngineException error) {
                tasks.runOnUi(() -> {
                    if (mine == generation) {
                        headline.set(error.getMessage());
                    }
                });
            }
        })).onSuccess(s -> {
            if (mine == generation) {
                stream = s;
            } else {
                s.close();
            }
        }).onFailure(e -> headline.set(Notifier.plainMessage(e))).executeWith(tasks);
    }

    public void close() {
        generation++;
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }

    void add(StatsSample s) {
        StatsSample before = previous == null ? s : previous;
        previous = s;
        points.add(new Point(second++, s.cpuPercent(), s.memoryUsage() / 1048576.0,
                Math.max(0, s.networkRx() - before.networkRx()), Math.max(0, s.networkTx() - before.networkTx()),
                Math.max(0, s.blockRead() - before.blockRead()), Math.max(0, s.blockWrite() - before.blockWrite())));
        if (points.size() > WINDOW) {
            points.remove(0, points.size() - WINDOW);
        }
        headline.set(String.format(Locale.ROOT, "CPU %.1f %% · Memory %s of %s · Net ↓%s ↑%s · Block read %s, written %s",
                s.cpuPercent(), Formats.bytes(s.memoryUsage()), s.memoryLimit() > 0 ? Formats.bytes(s.memoryLimit()) : "no limit",
                Formats.bytes(s.networkRx()), Formats.bytes(s.networkTx()), Formats.bytes(s.blockRead()),
                Formats.bytes(s.blockWrite())));
    }
}
