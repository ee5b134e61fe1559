package dev.muelle.engine.container;

import dev.muelle.engine.json.Json;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.store.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Container records in the {@code containers} table; the name column enforces unique names. */
final class ContainerRepository {

    private final Database db;

    ContainerRepository(Database db) {
        this.db = db;
    }

    /** Inserts a new record; a taken name becomes Docker's 409. */
    void insert(Container c) {
        try {
            db.transaction(conn -> {
                try (PreparedStatement ps = conn.prepareStatement(
                        "INSERT INTO containers (id, name, created, record) VALUES (?, ?, ?, ?)")) {
                    Database.bind(ps, c.Id, c.Name, c.Created, toJson(c));
                    return ps.executeUpdate();
                }
            });
        } catch (EngineException.SystemError e) {
            if (e.getCause() instanceof SQLException s && s.getMessage().contains("UNIQUE")) {
                throw nameInUse(c.Name, idByName(c.Name));
            }
            throw e;
        }
    }

    void update(Container c) {
        db.update("UPDATE containers SET name = ?, record = ? WHERE id = ?", c.Name, toJson(c), c.Id);
    }

    void delete(String id) {
        db.update("DELETE FROM containers WHERE id = ?", id);
    }

    List<Container> all() {
        return db.query("SELECT record FROM containers ORDER BY created", rs -> fromJson(rs.getString(1)));
    }

    private String idByName(String name) {
        List<String> ids = db.query("SELECT id FROM containers WHERE name = ?", rs -> rs.getString(1), name);
        return ids.isEmpty() ? "" : ids.get(0);
    }

    static EngineException.Conflict nameInUse(String name, String holderId) {
        return new EngineException.Conflict("Conflict. The container name \"" + name
                + "\" is already in use by container \"" + holderId
                + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }

    private static String toJson(Container c) {
        return Json.string(c);
    }

    private static Container fromJson(String s) {
        try {
            return Container.fromJson(Json.parse(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
