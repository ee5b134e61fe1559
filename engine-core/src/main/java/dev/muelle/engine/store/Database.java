package dev.muelle.engine.store;

import dev.muelle.engine.errors.EngineException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The engine's SQLite metadata database ({@code <data-root>/muelle.db}, WAL mode).
 *
 * <p>One connection, serialised by this object's monitor: the engine's metadata writes are small
 * and infrequent next to runc calls, and one writer keeps SQLite's locking out of the picture.
 * Every write runs in a transaction, so a kill -9 leaves either the old or the new row, never half.
 *
 * <p>The schema lives in {@link Migrations}; change it only by appending a migration there.
 */
public final class Database implements AutoCloseable {

    private final Connection connection;

    private Database(Connection connection) {
        this.connection = connection;
    }

    public static Database open(Path file) {
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=5000");
            }
            Database db = new Database(c);
            Migrations.apply(db);
            return db;
        } catch (SQLException e) {
            throw new EngineException.SystemError("cannot open metadata database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Work done with the raw connection inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in a transaction; commits on return, rolls back on any exception. */
    public synchronized <T> T transaction(Work<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new EngineException.SystemError("metadata database: " + e.getMessage(), e);
        }
    }

    /** Executes one statement with positional parameters; returns the update count. */
    public int update(String sql, Object... params) {
        return transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                return ps.executeUpdate();
            }
        });
    }

    /** Reads rows: {@code mapper} is called once per row. */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> out = new java.util.ArrayList<>();
                    while (rs.next()) {
                        out.add(mapper.map(rs));
                    }
                    return out;
                }
            }
        });
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing at shutdown: nothing left to protect
        }
    }
}
