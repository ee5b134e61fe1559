package dev.muelle.engine.store;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * The metadata schema, as an append-only list of migrations. {@code PRAGMA user_version} holds
 * how many have run. Never edit a migration that has shipped: append a new one.
 *
 * <p>See {@code package-info.java} for what each table means.
 */
final class Migrations {

    private Migrations() {
    }

    /** Each entry is one migration: statements run together in one transaction. */
    static final List<List<String>> ALL = List.of(
            // 1: containers. The record column is the container's JSON document (config, host
            // config, state); name is unique so the name-in-use check is the database's.
            List.of("""
                    CREATE TABLE containers (
                      id      TEXT PRIMARY KEY,
                      name    TEXT NOT NULL UNIQUE,
                      created TEXT NOT NULL,
                      record  TEXT NOT NULL
                    )"""),
            // 2: images. An image's config is the blob named by its ID; its layer stack is the
            // config's rootfs.diff_ids, so only what the config cannot say is kept here.
            // Refcounts live on layers because images and container snapshots share them.
            List.of("""
                    CREATE TABLE images (
                      id            TEXT PRIMARY KEY,
                      parent        TEXT NOT NULL DEFAULT '',
                      size          INTEGER NOT NULL,
                      stored        TEXT NOT NULL,
                      last_tag_time TEXT
                    )""", """
                    CREATE TABLE image_refs (
                      ref      TEXT PRIMARY KEY,
                      image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
                      created  TEXT NOT NULL
                    )""",
                    "CREATE INDEX image_refs_by_image ON image_refs(image_id)", """
                    CREATE TABLE layers (
                      chain_id TEXT PRIMARY KEY,
                      diff_id  TEXT NOT NULL,
                      parent   TEXT,
                      size     INTEGER NOT NULL,
                      blob     TEXT,
                      refcount INTEGER NOT NULL
                    )""", """
                    CREATE TABLE snapshots (
                      container_id TEXT PRIMARY KEY,
                      image_id     TEXT NOT NULL,
                      layers       TEXT NOT NULL
                    )"""),
            // 3: the classic builder's step cache: a step's cache key (sha256 of its parent
            // image, instruction, the args/env it sees and the files it reads) → the image it made.
            List.of("""
                    CREATE TABLE build_cache (
                      key      TEXT PRIMARY KEY,
                      image_id TEXT NOT NULL,
                      created  TEXT NOT NULL
                    )"""),
            // 4: volumes. The data lives in <data-root>/volumes/<name>/_data; which containers
            // use a volume is read from their Mounts, so no reference count is kept here.
            List.of("""
                    CREATE TABLE volumes (
                      name    TEXT PRIMARY KEY,
                      driver  TEXT NOT NULL,
                      created TEXT NOT NULL,
                      labels  TEXT NOT NULL,
                      options TEXT NOT NULL
                    )"""),
            // 5: networks. Each record column is the JSON of a network package record (Network,
            // Endpoint, Sandbox); an endpoint names its network, so a network with members
            // cannot be deleted under them.
            List.of("""
                    CREATE TABLE networks (
                      id      TEXT PRIMARY KEY,
                      name    TEXT NOT NULL,
                      created TEXT NOT NULL,
                      record  TEXT NOT NULL
                    )""", """
                    CREATE TABLE endpoints (
                      container_id TEXT NOT NULL,
                      network_id   TEXT NOT NULL REFERENCES networks(id),
                      record       TEXT NOT NULL,
                      PRIMARY KEY (container_id, network_id)
                    )""", """
                    CREATE TABLE sandboxes (
                      container_id TEXT PRIMARY KEY,
                      record       TEXT NOT NULL
                    )"""));

    static void apply(Database db) {
        db.transaction(c -> {
            int version;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            for (int i = version; i < ALL.size(); i++) {
                try (Statement s = c.createStatement()) {
                    for (String sql : ALL.get(i)) {
                        s.execute(sql);
                    }
                    s.execute("PRAGMA user_version = " + (i + 1));
                }
            }
            return null;
        });
    }
}
