package dev.muelle.desktop.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Inspect tab: {@code docker inspect} of the container as a collapsible tree, plus the raw
 * JSON for copying.
 */
public final class InspectViewModel {

    /**
     * One node of the JSON tree.
     *
     * @param value the scalar as JSON text, or a summary ("{12}", "[3]") for objects and arrays
     */
    public record JsonEntry(String key, String value, List<JsonEntry> children) {

        public boolean container() {
            return !children.isEmpty() || value.startsWith("{") || value.startsWith("[");
        }
    }

    private final EngineClient client;
    private final String containerId;
    private final TaskExecutor tasks;
    private final ReadOnlyObjectWrapper<JsonEntry> root = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper json = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");

    public InspectViewModel(EngineClient client, String containerId, TaskExecutor tasks) {
        this.client = client;
        this.containerId = containerId;
        this.tasks = tasks;
    }

    public ReadOnlyObjectProperty<JsonEntry> rootProperty() {
        return root.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty jsonProperty() {
        return json.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public void load() {
        BackgroundTask.wrap(() -> {
            String text = client.inspect(containerId);
            return Map.entry(text, tree("", new ObjectMapper().readTree(text)));
        }).withTitle("Inspect").onSuccess(result -> {
            json.set(result.getKey());
            root.set(result.getValue());
            error.set("");
        }).onFailure(e -> error.set(Notifier.plainMessage(e))).executeWith(tasks);
    }

    static JsonEntry tree(String key, JsonNode node) {
        List<JsonEntry> children = new ArrayList<>();
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                children.add(tree(f.getKey(), f.getValue()));
            }
            return new JsonEntry(key, "{" + children.size() + "}", children);
        }
        if (node.isArray()) {
            int i = 0;
            for (JsonNode element : node) {
                children.add(tree("[" + i++ + "]", element));
            }
            return new JsonEntry(key, "[" + children.size() + "]", children);
        }
        try {
            return new JsonEntry(key, new ObjectMapper().writeValueAsString(node), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
