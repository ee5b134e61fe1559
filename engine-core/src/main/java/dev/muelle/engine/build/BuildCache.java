package dev.muelle.engine.build;

import dev.muelle.engine.image.Digest;
import dev.muelle.engine.store.Database;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The classic builder's step cache: {@code key → image ID}, in SQLite so it survives restarts.
 * A key is the sha256 of everything a step's result depends on ({@link StepKey}); an entry
 * whose image has since been removed is treated as a miss and dropped.
 */
public final class BuildCache {

    private final Database db;

    public BuildCache(Database db) {
        this.db = db;
    }

    /** The image an earlier build made for {@code key}, if it is still there. */
    public Optional<String> lookup(Digest key, Predicate<String> imageExists) {
        Optional<String> id = db.query("SELECT image_id FROM build_cache WHERE key = ?", rs -> rs.getString(1),
                key.toString()).stream().findFirst();
        if (id.isPresent() && !imageExists.test(id.get())) {
            db.update("DELETE FROM build_cache WHERE key = ?", key.toString());
            return Optional.empty();
        }
        return id;
    }

    public void put(Digest key, String imageId) {
        db.update("INSERT INTO build_cache (key, image_id, created) VALUES (?, ?, ?) "
                + "ON CONFLICT(key) DO UPDATE SET image_id = excluded.image_id, created = excluded.created",
                key.toString(), imageId, Instant.now().toString());
    }

    /** {@code docker builder prune}: forgets every step; returns how many entries were dropped. */
    public int prune() {
        return db.update("DELETE FROM build_cache");
    }
}
