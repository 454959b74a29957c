package com.meltano.auth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for {@code @QuarkusTest}s: embedded binaries in a fresh directory, or the
 * external database named by {@code QUARKUS_DATASOURCE_JDBC_URL} when it is set. Also supplies the
 * key-encryption key and the bootstrap admin credentials the tests use.
 *
 * <p>Each start of the application (one per test profile) gets a database of its own, created
 * empty in one PostgreSQL cluster that the test JVM starts once and stops as it ends: a fresh
 * cluster (initdb, start, stop) for each profile cost about a second each time. Each profile's
 * application loads this class anew, so the cluster is found through a system property (its
 * port), not a static field.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static final String CLUSTER_PORT = "meltano-auth-tests.postgres-port";

    private String database;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        String external = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (external == null) {
            int port = clusterPort();
            database = "test_" + System.nanoTime();
            execute(port, "create database " + database);
            config.put("quarkus.datasource.jdbc.url", url(port, database));
            config.put("quarkus.datasource.username", "postgres");
        }
        config.put("meltano.auth.key-encryption-key", TestData.KEK);
        config.put("meltano.auth.admin-client-id", TestData.ADMIN_CLIENT_ID);
        config.put("meltano.auth.admin-client-secret", TestData.ADMIN_CLIENT_SECRET);
        config.put("meltano.auth.admin-email", TestData.ADMIN_EMAIL);
        config.put("meltano.auth.admin-password", TestData.ADMIN_PASSWORD);
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            // the application is stopped; a connection still open would be a leak of the test itself
            execute(clusterPort(), "drop database if exists " + database + " with (force)");
        }
    }

    /** The cluster's port, the cluster started by the first caller in this JVM (Properties is one lock for all loaders). */
    private static int clusterPort() {
        synchronized (System.getProperties()) {
            String known = System.getProperty(CLUSTER_PORT);
            if (known != null) {
                return Integer.parseInt(known);
            }
            try {
                Path dir = Files.createTempDirectory("meltano-auth-test-pg");
                EmbeddedPostgres started = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException ignored) {
                        // the JVM is ending
                    }
                }, "test-postgres-stop"));
                System.setProperty(CLUSTER_PORT, Integer.toString(started.getPort()));
                return started.getPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }
    }

    private static String url(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database + "?user=postgres";
    }

    private static void execute(int port, String sql) {
        try (Connection c = DriverManager.getConnection(url(port, "postgres")); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL: " + sql, e);
        }
    }
}
