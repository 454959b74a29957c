package com.meltano.auth.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for {@code @QuarkusTest}s: embedded binaries in a fresh directory, or the
 * external database named by {@code QUARKUS_DATASOURCE_JDBC_URL} when it is set. Also supplies the
 * key-encryption key and the bootstrap admin credentials the tests use.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        String external = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (external == null) {
            try {
                Path dir = Files.createTempDirectory("meltano-auth-test-pg");
                postgres = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL", e);
            }
            config.put("quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"));
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
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException ignored) {
                // the JVM is ending
            }
        }
    }
}
