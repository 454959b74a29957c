package com.meltano.auth.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import com.meltano.auth.config.StartupFailure;

/**
 * A data directory started before is started again without the embedding library (pg_ctl
 * directly, readiness read from the pid file), and must come up as the same server: the same
 * durable settings, the same password. Real PostgreSQL, real files. Each start here uses a data
 * directory of its own (a copy of the first), as a data directory's lock belongs to the process
 * for its whole life.
 */
@EnabledOnOs(OS.LINUX)
class EmbeddedDatabaseTest {

    private static final List<String> SETTINGS = List.of("fsync", "synchronous_commit", "full_page_writes",
            "max_connections", "TimeZone", "listen_addresses", "unix_socket_directories", "password_encryption", "port");

    @TempDir
    Path tmp;

    @Test
    void secondStartWhenDirectoryStartedBeforeThenStartedDirectlyAsTheSameDurableServer() throws Exception {
        Path first = Files.createDirectories(tmp.resolve("first"));
        Map<String, String> librarySettings;
        EmbeddedDatabase library = EmbeddedDatabase.prepare(first, false);
        try {
            library.start();
            assertThat(postmasterArguments(first)).as("a new directory: initdb and the start through the library, which passes -F")
                    .contains("-F");
            librarySettings = settings(library);
        } finally {
            library.close();
        }
        assertThat(librarySettings).containsEntry("fsync", "on").containsEntry("synchronous_commit", "on");

        Path second = copy(first, tmp.resolve("second"));
        assertThat(PostgresBinaries.forStart(second).known()).as("the binaries of the first start are recorded").isTrue();
        EmbeddedDatabase direct = EmbeddedDatabase.prepare(second, false);
        try {
            direct.start();
            assertThat(postmasterArguments(second)).as("started by pg_ctl directly, without the library's -F").doesNotContain("-F");
            Map<String, String> directSettings = settings(direct);
            librarySettings.remove("port");
            assertThat(directSettings).containsAllEntriesOf(librarySettings)
                    .containsEntry("port", Integer.toString(direct.port()));
            assertThat(Files.readString(second.resolve(DataDirLock.FILE_NAME)))
                    .as("the port recorded for the command line").contains("port=" + direct.port());
        } finally {
            direct.close();
        }
        assertThat(Postmaster.live(second.resolve("postgres"))).as("stopped").isEmpty();
    }

    @Test
    void secondStartWhenPasswordFileHoldsAnotherPasswordThenOneLineAndPostgresStopped() throws Exception {
        Path second = startedOnceThenCopied();
        Files.writeString(second.resolve(DatabasePassword.FILE_NAME), "not-the-password-of-this-database", StandardCharsets.US_ASCII);

        EmbeddedDatabase direct = EmbeddedDatabase.prepare(second, false);
        assertThatThrownBy(direct::start).isInstanceOf(StartupFailure.class)
                .hasMessage("MELTANO_AUTH_DATA_DIR: " + second.resolve(DatabasePassword.FILE_NAME)
                        + " does not hold the password of the embedded database in " + second.resolve("postgres"))
                .hasMessageNotContaining("not-the-password");
        assertThat(Postmaster.live(second.resolve("postgres"))).as("stopped again").isEmpty();
    }

    @Test
    void secondStartWhenClusterDamagedThenOneLineSayingPgCtlFailedAndNoPostmasterLeft() throws Exception {
        Path second = startedOnceThenCopied();
        // PostgreSQL cannot start without its control file: pg_ctl reports the failure at once
        Files.delete(second.resolve("postgres/global/pg_control"));

        EmbeddedDatabase direct = EmbeddedDatabase.prepare(second, false);
        assertThatThrownBy(direct::start).isInstanceOf(StartupFailure.class)
                .hasMessage("MELTANO_AUTH_DATA_DIR: the embedded PostgreSQL in " + second.resolve("postgres")
                        + " did not start (pg_ctl start exited with status 1; its log says why)");
        assertThat(Postmaster.live(second.resolve("postgres"))).isEmpty();
    }

    /** A data directory started once (through the library) and stopped, then copied. */
    private Path startedOnceThenCopied() throws Exception {
        Path first = Files.createDirectories(tmp.resolve("first"));
        EmbeddedDatabase library = EmbeddedDatabase.prepare(first, false);
        try {
            library.start();
        } finally {
            library.close();
        }
        return copy(first, tmp.resolve("second"));
    }

    private static List<String> postmasterArguments(Path dataDir) throws IOException {
        return List.of(Postmaster.live(dataDir.resolve("postgres")).orElseThrow().info().arguments().orElseThrow());
    }

    private static Map<String, String> settings(EmbeddedDatabase database) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", database.user());
        login.setProperty("password", database.password());
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), login); Statement s = c.createStatement()) {
            for (String name : SETTINGS) {
                try (ResultSet rs = s.executeQuery("show " + name)) {
                    rs.next();
                    settings.put(name, rs.getString(1));
                }
            }
        }
        return settings;
    }

    /** The data directory as a backup would copy it (PostgreSQL stopped), without the lock file. */
    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().equals(DataDirLock.FILE_NAME)) {
                    continue;
                }
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    // PostgreSQL refuses a data directory open to others
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(file));
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}
