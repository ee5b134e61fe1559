package dev.muelle.desktop.containers;

import dev.muelle.desktop.engine.ContainerSummary;
import dev.muelle.desktop.engine.StatsSample;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * One container in the table. The item stays the same object while the container exists, and its
 * properties change, so a refresh keeps the user's selection and scroll position.
 */
public final class ContainerItem {

    private final String id;
    private final ObjectProperty<ContainerSummary> summary;
    private final ObjectProperty<StatsSample> usage = new SimpleObjectProperty<>();

    ContainerItem(ContainerSummary summary) {
        this.id = summary.id();
        this.summary = new SimpleObjectProperty<>(summary);
    }

    public String id() {
        return id;
    }

    public ContainerSummary summary() {
        return summary.get();
    }

    public ReadOnlyObjectProperty<ContainerSummary> summaryProperty() {
        return summary;
    }

    /** The last CPU and memory reading, or null before the first one (or when not running). */
    public StatsSample usage() {
        return usage.get();
    }

    public ReadOnlyObjectProperty<StatsSample> usageProperty() {
        return usage;
    }

    void update(ContainerSummary s) {
        if (!s.equals(summary.get())) {
            summary.set(s);
        }
        if (!s.running()) {
            usage.set(null);
        }
    }

    void usage(StatsSample sample) {
        usage.set(sample);
    }

    @Override
    public String toString() {
        return summary.get().name();
    }
}
