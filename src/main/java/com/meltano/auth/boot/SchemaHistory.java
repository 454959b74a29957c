package com.meltano.auth.boot;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

import javax.sql.DataSource;

/**
 * Whether Flyway's schema history already records every migration this build carries, so that a
 * start on a current schema need not load Flyway at all (its validation and the lock it takes cost
 * a start some 0.2 s). Only a plain answer counts: the history table exists, and its versioned rows
 * are versions 1 to {@code newest}, each applied successfully, nothing else. Any other history
 * (older, newer, a failed row, no table, no connection, a query that fails) answers no, and Flyway decides.
 *
 * <p>Flyway writes a migration's row in the migration's own transaction, so a row seen here is a
 * migration finished: a replica starting while another migrates sees the old history and hands
 * over to Flyway, which waits for the other's lock.
 */
final class SchemaHistory {

    /** Flyway's default name, which this server never changes, in the connection's first schema. */
    static final String TABLE = "flyway_schema_history";

    private SchemaHistory() {
    }

    static boolean isCurrent(DataSource database, int newest) {
        Set<String> applied = new HashSet<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet exists = s.executeQuery("select to_regclass('" + TABLE + "') is not null")) {
                if (!exists.next() || !exists.getBoolean(1)) {
                    return false;
                }
            }
            try (ResultSet rows = s.executeQuery("select version, success from " + TABLE + " where version is not null")) {
                while (rows.next()) {
                    if (!rows.getBoolean(2) || !applied.add(rows.getString(1))) {
                        return false;
                    }
                }
            }
        } catch (SQLException e) {
            // whatever went wrong here, Flyway meets it too and reports it in its own words
            return false;
        }
        Set<String> expected = new HashSet<>();
        for (int version = 1; version <= newest; version++) {
            expected.add(Integer.toString(version));
        }
        return applied.equals(expected);
    }
}
