package dev.muelle.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonValue;
import dev.muelle.engine.store.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** Networks, endpoints and sandboxes in SQLite, one JSON record per row (migration 4). */
final class NetworkRepository {

    private final Database db;

    NetworkRepository(Database db) {
        this.db = db;
    }

    List<Network> networks() {
        return db.query("SELECT record FROM networks ORDER BY created", rs -> Network.from(read(rs.getString(1))));
    }

    void insert(Network n) {
        db.update("INSERT INTO networks (id, name, created, record) VALUES (?, ?, ?, ?)", n.id(), n.name(), n.created(),
                write(n));
    }

    void delete(Network n) {
        db.update("DELETE FROM networks WHERE id = ?", n.id());
    }

    List<Endpoint> endpoints() {
        return db.query("SELECT record FROM endpoints", rs -> Endpoint.from(read(rs.getString(1))));
    }

    void save(Endpoint e) {
        db.update("INSERT OR REPLACE INTO endpoints (container_id, network_id, record) VALUES (?, ?, ?)",
                e.containerId(), e.networkId(), write(e));
    }

    void delete(Endpoint e) {
        db.update("DELETE FROM endpoints WHERE container_id = ? AND network_id = ?", e.containerId(), e.networkId());
    }

    Optional<Sandbox> sandbox(String containerId) {
        return db.query("SELECT record FROM sandboxes WHERE container_id = ?", rs -> Sandbox.from(read(rs.getString(1))),
                containerId).stream().findFirst();
    }

    List<Sandbox> sandboxes() {
        return db.query("SELECT record FROM sandboxes", rs -> Sandbox.from(read(rs.getString(1))));
    }

    void save(Sandbox s) {
        db.update("INSERT OR REPLACE INTO sandboxes (container_id, record) VALUES (?, ?)", s.containerId(), write(s));
    }

    void deleteSandbox(String containerId) {
        db.update("DELETE FROM sandboxes WHERE container_id = ?", containerId);
    }

    private static String write(JsonValue row) {
        return Json.string(row);
    }

    private static JsonNode read(String s) {
        try {
            return Json.parse(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
