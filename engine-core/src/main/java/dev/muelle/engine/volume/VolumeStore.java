package dev.muelle.engine.volume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;
import dev.muelle.engine.store.Database;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code volumes} table: one row per volume, labels and options as JSON objects. */
final class VolumeStore {

    private final Database db;
    private final Path volumesDir;

    VolumeStore(Database db, Path volumesDir) {
        this.db = db;
        this.volumesDir = volumesDir;
    }

    void insert(Volume v) {
        db.update("INSERT INTO volumes(name, driver, created, labels, options) VALUES (?, ?, ?, ?, ?)",
                v.name(), v.driver(), v.createdAt(), json(v.labels()), json(v.options()));
    }

    void delete(String name) {
        db.update("DELETE FROM volumes WHERE name = ?", name);
    }

    Optional<Volume> find(String name) {
        return db.query("SELECT name, driver, created, labels, options FROM volumes WHERE name = ?", rs -> row(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)), name)
                .stream().findFirst();
    }

    List<Volume> all() {
        return db.query("SELECT name, driver, created, labels, options FROM volumes ORDER BY name", rs -> row(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
    }

    private Volume row(String name, String driver, String created, String labels, String options) {
        return new Volume(created, driver, parse(labels), volumesDir.resolve(name).resolve("_data").toString(), name,
                parse(options), "local");
    }

    private static String json(Map<String, String> m) {
        return Json.string(m);
    }

    private static Map<String, String> parse(String s) {
        try {
            JsonNode n = Json.parse(s);
            return n.isObject() ? JsonRead.stringMap(n, "volume metadata") : null; // "null": none given
        } catch (IOException e) {
            throw new EngineException.SystemError("corrupt volume metadata: " + e.getMessage(), e);
        }
    }
}
