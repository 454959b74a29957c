package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * SPEC section 2, the embedded default: durable as a stock PostgreSQL, no connection without the
 * password kept in the data directory (a data directory of the old trusting kind is upgraded), one
 * server per data directory, and a start after kill -9 that stops the postmaster the dead server
 * left. One server is shared by the tests, in order, on a data directory first created the old way;
 * the last test kills it.
 */
@ProcessLevel
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedDatabaseIT {

    private static final String CLIENT_ID = "it-embedded-admin";
    private static final String MARKER = "written before the upgrade";

    @TempDir
    static Path tmp;

    private Path dataDir;
    private final String secret = ItSupport.newSecret();
    private Map<String, String> env;
    private ServerProcess server;

    @BeforeAll
    void startOnADataDirectoryOfTheOldTrustingKind() throws Exception {
        dataDir = tmp.resolve("data");
        env = Map.of("MELTANO_AUTH_ADMIN_CLIENT_ID", CLIENT_ID, "MELTANO_AUTH_ADMIN_CLIENT_SECRET", secret);
        // as the server created its data directory before: initdb -A trust, no password anywhere
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .start();
                Connection c = old.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            // a schema of its own: Flyway migrates only an empty public schema
            s.execute("create schema it_old");
            s.execute("create table it_old.marker (note text)");
            s.execute("insert into it_old.marker values ('" + MARKER + "')");
        }
        assertThat(dataDir.resolve("postgres-password")).doesNotExist();
        server = ServerProcess.start("embedded-1", dataDir, env);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    @Order(1)
    void oldTrustingDataDirectoryIsUpgradedToAPasswordAndKeepsItsData() throws Exception {
        Path passwordFile = dataDir.resolve("postgres-password");
        assertThat(passwordFile).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        String password = Files.readString(passwordFile, StandardCharsets.US_ASCII).trim();
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);

        try (Connection c = connect(password); Statement s = c.createStatement()) {
            assertThat(single(s, "select note from it_old.marker")).isEqualTo(MARKER);
            assertThat(single(s, "select string_agg(distinct auth_method, ',') from pg_hba_file_rules"))
                    .isEqualTo("scram-sha-256");
            assertThat(single(s, "select string_agg(distinct type, ',' order by type) from pg_hba_file_rules"))
                    .as("the Unix socket and TCP are both covered").isEqualTo("host,local");
        }
        assertThat(ItSupport.embeddedVerifierIterations(dataDir, password)).isEqualTo(16);
        assertThat(server.output()).as("the password never reaches the output").doesNotContain(password);
    }

    @Test
    @Order(2)
    void connectionWithoutTheRightPasswordIsRefused() throws Exception {
        int port = databasePort();
        Properties none = new Properties();
        none.setProperty("user", "postgres");
        assertThatThrownBy(() -> DriverManager.getConnection(url(port), none).close())
                .as("no password over TCP").isInstanceOf(SQLException.class);
        Properties wrong = new Properties();
        wrong.setProperty("user", "postgres");
        wrong.setProperty("password", ItSupport.newSecret());
        assertThatThrownBy(() -> DriverManager.getConnection(url(port), wrong).close())
                .as("a wrong password over TCP")
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");
        try (Connection c = connect(password()); Statement s = c.createStatement()) {
            assertThat(single(s, "show unix_socket_directories")).as("no Unix socket in /tmp").isEmpty();
            assertThat(single(s, "show listen_addresses")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    @Order(3)
    void embeddedPostgresIsAsDurableAsAStockOne() throws Exception {
        try (Connection c = connect(password()); Statement s = c.createStatement()) {
            assertThat(single(s, "show fsync")).isEqualTo("on");
            assertThat(single(s, "show synchronous_commit")).isEqualTo("on");
            assertThat(single(s, "show full_page_writes")).isEqualTo("on");
        }
    }

    @Test
    @Order(4)
    void secondServerOnTheSameDataDirectoryRefusesToStartAndTheFirstKeepsServing() throws Exception {
        OptionalLong postmaster = ServerProcess.postmasterPid(dataDir);
        ServerProcess.Exit exit = ServerProcess.runToExit("embedded-second", dataDir, env, Duration.ofSeconds(60));

        assertThat(exit.exitCode()).as("exit status; output:%n%s", exit.output()).isEqualTo(1);
        assertThat(exit.lines()).as("one line; output:%n%s", exit.output()).hasSize(1);
        assertThat(exit.lines().get(0)).contains("MELTANO_AUTH_DATA_DIR", dataDir.toString(), "in use by a running server");
        assertThat(ServerProcess.postmasterPid(dataDir)).as("the first server's PostgreSQL is untouched").isEqualTo(postmaster);
        assertThat(server.isAlive()).isTrue();
        String token = ItSupport.clientCredentialsToken(server.baseUrl(), CLIENT_ID, secret);
        ItSupport.Reply created = ItSupport.postJson(server.baseUrl() + "/admin/api/roles", token, Map.of("name", "after-second-start"));
        assertThat(created.status()).as("the first server still writes: %s", created.body()).isEqualTo(201);
    }

    @Test
    @Order(5)
    void serverKilledDuringWritesRestartsOnItsDataDirectoryWithEveryAcknowledgedWrite() throws Exception {
        String token = ItSupport.clientCredentialsToken(server.baseUrl(), CLIENT_ID, secret);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger sequence = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        String base = server.baseUrl();
        for (int w = 0; w < 3; w++) {
            Thread writer = new Thread(() -> {
                while (writing.get()) {
                    String name = "written-" + sequence.incrementAndGet();
                    try {
                        if (ItSupport.postJson(base + "/admin/api/roles", token, Map.of("name", name)).status() == 201) {
                            acknowledged.add(name);
                        }
                    } catch (AssertionError connectionLost) {
                        // the server is gone or PostgreSQL is recovering: keep trying until told to stop
                    }
                }
            }, "role-writer-" + w);
            writer.start();
            writers.add(writer);
        }
        try {
            awaitMore(acknowledged, 20);
            // a backend killed mid-write makes PostgreSQL recover from its WAL: what was answered 201 must be there
            killOneClientBackend();
            awaitMore(acknowledged, 20);
            OptionalLong postmaster = ServerProcess.postmasterPid(dataDir);
            assertThat(postmaster).isPresent();
            server.kill();
            writing.set(false);
            for (Thread writer : writers) {
                writer.join(60_000);
            }
            assertThat(ServerProcess.running(postmaster.getAsLong()))
                    .as("the postmaster outlives the killed server (the situation to recover from)").isTrue();

            server = ServerProcess.start("embedded-after-kill", dataDir, env);

            assertThat(ServerProcess.running(postmaster.getAsLong())).as("the postmaster left by the dead server was stopped").isFalse();
            assertThat(server.output()).contains("left running by a server that ended abruptly");
            String after = ItSupport.clientCredentialsToken(server.baseUrl(), CLIENT_ID, secret);
            ItSupport.Reply roles = ItSupport.get(server.baseUrl() + "/admin/api/roles", after);
            assertThat(roles.status()).as("list roles: %s", roles.body()).isEqualTo(200);
            Set<String> present = ConcurrentHashMap.newKeySet();
            for (JsonNode role : roles.json().path("items")) {
                present.add(role.path("name").asText());
            }
            assertThat(acknowledged).as("acknowledged writes").hasSizeGreaterThanOrEqualTo(40);
            assertThat(present).as("every role answered 201 survives").containsAll(acknowledged);
        } finally {
            writing.set(false);
        }
    }

    /** Waits until {@code more} further writes were acknowledged (the test's timeout bounds it). */
    private static void awaitMore(Set<String> acknowledged, int more) throws InterruptedException {
        int target = acknowledged.size() + more;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (acknowledged.size() < target && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(acknowledged.size()).as("writes acknowledged while the server ran").isGreaterThanOrEqualTo(target);
    }

    /** SIGKILL of a PostgreSQL backend serving the server, as the black-box suite does. */
    private void killOneClientBackend() throws Exception {
        long pid;
        try (Connection c = connect(password()); Statement s = c.createStatement()) {
            pid = Long.parseLong(single(s, "select pid from pg_stat_activity where backend_type = 'client backend'"
                    + " and pid <> pg_backend_pid() order by state = 'active' desc, xact_start limit 1"));
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly)).contains(true);
    }

    private int databasePort() throws Exception {
        return ItSupport.embeddedDatabasePort(dataDir);
    }

    private String password() throws Exception {
        return ItSupport.embeddedDatabasePassword(dataDir);
    }

    private Connection connect(String password) throws Exception {
        return ItSupport.embeddedDatabase(dataDir, password);
    }

    private static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }
}
