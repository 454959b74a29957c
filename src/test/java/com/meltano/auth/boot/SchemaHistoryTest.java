package com.meltano.auth.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A start skips Flyway only when the schema history records every migration of this build, each
 * applied successfully: histories written by Flyway itself from this build's migrations, on a
 * real PostgreSQL, one new database per test.
 */
class SchemaHistoryTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    @TempDir
    static Path pgData;

    private static EmbeddedPostgres pg;
    private static int databases;

    private DataSource database;

    @BeforeAll
    static void startPostgres() throws IOException {
        pg = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(true).start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        pg.close();
    }

    @BeforeEach
    void newDatabase() throws SQLException {
        String name = "history_" + ++databases;
        execute(pg.getPostgresDatabase(), "create database " + name);
        database = pg.getDatabase("postgres", name);
    }

    @Test
    void newestVersionWhenMigrationAddedThenRaisedWithIt() throws IOException {
        List<Integer> versions;
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            versions = files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .sorted()
                    .toList();
        }
        assertThat(versions).as("versioned migrations numbered 1, 2, 3... without a gap: SchemaHistory expects them so")
                .isEqualTo(IntStream.rangeClosed(1, versions.size()).boxed().toList());
        assertThat(SchemaMigration.NEWEST_VERSION).as("SchemaMigration.NEWEST_VERSION after a new migration")
                .isEqualTo(versions.size());
    }

    @Test
    void historyWhenEveryMigrationAppliedThenCurrent() throws SQLException {
        flyway().migrate();

        assertThat(current()).isTrue();
    }

    @Test
    void emptyDatabaseThenNotCurrent() {
        assertThat(current()).as("no history table").isFalse();
    }

    @Test
    void historyWhenOlderThanTheBuildThenNotCurrentUntilFlywayMigrated() throws SQLException {
        Flyway.configure().dataSource(database).locations(SchemaMigration.LOCATION)
                .target(Integer.toString(SchemaMigration.NEWEST_VERSION - 1)).load().migrate();
        assertThat(current()).isFalse();

        flyway().migrate();
        assertThat(current()).isTrue();
    }

    @Test
    void historyWhenAMigrationFailedThenNotCurrent() throws SQLException {
        flyway().migrate();
        execute(database, "update " + SchemaHistory.TABLE + " set success = false where version = '"
                + SchemaMigration.NEWEST_VERSION + "'");

        assertThat(current()).isFalse();
    }

    @Test
    void historyWhenANewerBuildMigratedThenNotCurrent() throws SQLException {
        flyway().migrate();
        int newer = SchemaMigration.NEWEST_VERSION + 1;
        execute(database, "insert into " + SchemaHistory.TABLE
                + " (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)"
                + " select max(installed_rank) + 1, '" + newer + "', 'newer', 'SQL', 'V" + newer + "__newer.sql', 0,"
                + " current_user, 1, true from " + SchemaHistory.TABLE);

        assertThat(current()).as("Flyway decides what an older build does with a newer schema").isFalse();
    }

    private Flyway flyway() {
        return Flyway.configure().dataSource(database).locations(SchemaMigration.LOCATION).load();
    }

    private boolean current() {
        return SchemaHistory.isCurrent(database, SchemaMigration.NEWEST_VERSION);
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
