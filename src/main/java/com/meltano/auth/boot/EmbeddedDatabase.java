package com.meltano.auth.boot;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import com.meltano.auth.config.StartupFailure;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The embedded default of SPEC section 2: a real PostgreSQL whose data directory lives under
 * {@code MELTANO_AUTH_DATA_DIR} and is kept across restarts (never cleaned). It is as durable as a
 * stock PostgreSQL (the embedding library's defaults are for throwaway test databases), asks every
 * connection for the password of {@link DatabasePassword}, listens on loopback TCP only (no Unix
 * socket in /tmp open to all), and belongs to one server at a time ({@link DataDirLock}).
 */
final class EmbeddedDatabase implements AutoCloseable {

    /** Long enough for crash recovery after a machine crash, or a start on a loaded machine. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final DataDirLock lock;
    private final Path dataDir;
    private final Path pgData;
    private final int port;
    private final String password;

    private EmbeddedDatabase(DataDirLock lock, Path dataDir, Path pgData, int port, String password) {
        this.lock = lock;
        this.dataDir = dataDir;
        this.pgData = pgData;
        this.port = port;
        this.password = password;
    }

    /**
     * What must be settled before Quarkus starts, in a moment: the data directory locked for this
     * server, the password, and the port PostgreSQL will listen on (a free loopback port now).
     * Nothing runs yet: {@link #start()} starts PostgreSQL.
     */
    static EmbeddedDatabase prepare(Path dataDir, boolean command) throws IOException {
        DataDirLock lock = DataDirLock.acquire(dataDir, command);
        Path pgData = dataDir.resolve("postgres");
        Files.createDirectories(pgData);
        // the embedding library runs initdb when this file is missing
        boolean initialised = Files.exists(pgData.resolve("postgresql.conf"));
        String password = DatabasePassword.readOrCreate(dataDir, pgData, initialised);
        return new EmbeddedDatabase(lock, dataDir, pgData, freeLoopbackPort(), password);
    }

    /** Starts PostgreSQL (initdb first for a new data directory) and waits until it requires the password. */
    void start() throws IOException {
        // the lock is ours, so whatever postmaster still runs here was left by a dead server
        Postmaster.stopLeftover(pgData);
        PostgresBinaries binaries = PostgresBinaries.forStart(dataDir);
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setPgBinaryResolver(binaries.resolver())
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // the launcher stops PostgreSQL after Quarkus has stopped using it
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    // the library passes -F (fsync off) and synchronous_commit=off; later -c options win
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("password_encryption", DatabasePassword.METHOD)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "")
                    // initdb options (the library's only way to pass them): appended after its own
                    // "-A trust", so that a new data directory never trusts anyone, even once
                    .setLocaleConfig("auth", DatabasePassword.METHOD)
                    .setLocaleConfig("pwfile", dataDir.resolve(DatabasePassword.FILE_NAME).toString())
                    .setConnectConfig("password", password)
                    .start();
        } catch (IOException | RuntimeException e) {
            stopQuietly(pgData);
            if (DatabasePassword.refused(e)) {
                throw new StartupFailure("MELTANO_AUTH_DATA_DIR", dataDir.resolve(DatabasePassword.FILE_NAME)
                        + " does not hold the password of the embedded database in " + pgData);
            }
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", "the embedded PostgreSQL in " + pgData
                    + " did not start within " + STARTUP_WAIT.toSeconds() + " s (" + e.getClass().getSimpleName() + ")");
        }
        try {
            DatabasePassword.requireOnEveryConnection(jdbcUrl(), password);
            lock.recordDatabasePort(pg.getPort());
            binaries.remember(pgData);
        } catch (SQLException e) {
            close();
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", "cannot make the embedded PostgreSQL in " + pgData
                    + " require a password (SQLSTATE " + e.getSQLState() + ")");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A loopback port free now (PostgreSQL binds it a moment later, as the embedding library would pick it). */
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    String jdbcUrl() {
        return jdbcUrl(port);
    }

    /** The embedded database on {@code port} of loopback (TCP only: it has no Unix socket). */
    static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    String user() {
        return DatabasePassword.USER;
    }

    String password() {
        return password;
    }

    /** Stops PostgreSQL cleanly (no time limit of the embedding library's, which is 5 s). */
    @Override
    public void close() {
        stopQuietly(pgData);
    }

    private static void stopQuietly(Path pgData) {
        try {
            Postmaster.live(pgData).ifPresent(p -> Postmaster.stop(p, pgData));
        } catch (IOException | RuntimeException ignored) {
            // stopping anyway; a postmaster left running is stopped cleanly at the next start
        }
    }

    @Override
    public String toString() {
        return "EmbeddedDatabase[" + pgData + ", port " + port + ", " + lock + "]";
    }
}
