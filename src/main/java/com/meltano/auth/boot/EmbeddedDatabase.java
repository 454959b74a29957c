package com.meltano.auth.boot;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * The server's settings, passed at every start. The embedding library's defaults are for
     * throwaway test databases (it passes -F, fsync off, and synchronous_commit=off): these make
     * it as durable as a stock PostgreSQL, and keep its other defaults (UTC, 300 connections), so
     * that a start through the library and one through {@link Postmaster#start} run the same server.
     */
    private static final Map<String, String> SERVER_CONFIG = serverConfig();

    private static Map<String, String> serverConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("timezone", "UTC");
        config.put("max_connections", "300");
        config.put("fsync", "on");
        config.put("synchronous_commit", "on");
        config.put("full_page_writes", "on");
        config.put("password_encryption", DatabasePassword.METHOD);
        config.put("listen_addresses", "127.0.0.1");
        // no Unix socket (in /tmp, open to all): TCP on loopback only
        config.put("unix_socket_directories", "");
        return Collections.unmodifiableMap(config);
    }

    private final DataDirLock lock;
    private final Path dataDir;
    private final Path pgData;
    private final int port;
    private final String password;
    private final boolean initialised;

    private EmbeddedDatabase(DataDirLock lock, Path dataDir, Path pgData, int port, String password, boolean initialised) {
        this.lock = lock;
        this.dataDir = dataDir;
        this.pgData = pgData;
        this.port = port;
        this.password = password;
        this.initialised = initialised;
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
        return new EmbeddedDatabase(lock, dataDir, pgData, freeLoopbackPort(), password, initialised);
    }

    /**
     * Starts PostgreSQL and waits until it requires the password. A data directory started before,
     * with the binaries of that start still in place, is started directly ({@link Postmaster#start});
     * otherwise the embedding library unpacks the binaries, runs initdb for a new directory and
     * starts it. The direct way skips what the library does at each start (three subprocesses to
     * tell the Linux distribution and whether to run in a user namespace, then a readiness poll
     * with a connection every 100 ms): some 0.3 s of the database's start, which a command waits
     * for (0.1 s sooner done) and a server's start mostly overlaps (README, "Memory and start time").
     */
    void start() throws IOException {
        // the lock is ours, so whatever postmaster still runs here was left by a dead server
        Postmaster.stopLeftover(pgData);
        PostgresBinaries binaries = PostgresBinaries.forStart(dataDir);
        try {
            if (initialised && binaries.known()) {
                Postmaster.start(binaries.installation(), pgData, port, serverOptions(), STARTUP_WAIT);
            } else {
                startThroughLibrary(binaries);
            }
        } catch (IOException | RuntimeException e) {
            stopQuietly(pgData);
            if (DatabasePassword.refused(e)) {
                throw wrongPassword();
            }
            // PostgreSQL's own lines, logged above, say why; the library's messages are not quoted
            String how = e instanceof Postmaster.NotStarted direct ? direct.getMessage()
                    : e.getClass().getSimpleName() + ", within " + STARTUP_WAIT.toSeconds() + " s";
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", "the embedded PostgreSQL in " + pgData
                    + " did not start (" + how + "; its log says why)");
        }
        try {
            DatabasePassword.requireOnEveryConnection(jdbcUrl(), password);
            lock.recordDatabasePort(port);
            binaries.remember(pgData);
        } catch (SQLException e) {
            close();
            if (DatabasePassword.refused(e)) {
                throw wrongPassword();
            }
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", "cannot make the embedded PostgreSQL in " + pgData
                    + " require a password (SQLSTATE " + e.getSQLState() + ")");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Through the embedding library: binaries unpacked if need be, initdb for a new directory, then the start. */
    private void startThroughLibrary(PostgresBinaries binaries) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPgBinaryResolver(binaries.resolver())
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setPort(port)
                // the launcher stops PostgreSQL after Quarkus has stopped using it
                .setRegisterShutdownHook(false)
                .setPGStartupWait(STARTUP_WAIT)
                // initdb options (the library's only way to pass them): appended after its own
                // "-A trust", so that a new data directory never trusts anyone, even once
                .setLocaleConfig("auth", DatabasePassword.METHOD)
                .setLocaleConfig("pwfile", dataDir.resolve(DatabasePassword.FILE_NAME).toString())
                .setConnectConfig("password", password);
        // the library's -c options come after its own -F (fsync off): these win
        SERVER_CONFIG.forEach(builder::setServerConfig);
        builder.start();
    }

    /** The postmaster's options for a direct start: those the library would pass, less its -F. */
    private List<String> serverOptions() {
        List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port)));
        SERVER_CONFIG.forEach((name, value) -> options.addAll(List.of("-c", name + "=" + value)));
        return options;
    }

    private StartupFailure wrongPassword() {
        return new StartupFailure("MELTANO_AUTH_DATA_DIR", dataDir.resolve(DatabasePassword.FILE_NAME)
                + " does not hold the password of the embedded database in " + pgData);
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

    /** The loopback port PostgreSQL listens on. */
    int port() {
        return port;
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
