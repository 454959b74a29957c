package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * SPEC sections 2 and 10: several replicas may start at once on an empty database; key generation
 * and bootstrap are idempotent under an advisory lock, and the replicas then share everything.
 */
@ProcessLevel
class ConcurrentFirstStartIT {

    private static final String CLIENT_ID = "it-replica-admin";
    private static final String ADMIN_EMAIL = "replica-admin@example.com";

    @TempDir
    Path tmp;

    private EmbeddedPostgres pg;
    private final List<ServerProcess> servers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (ServerProcess s : servers) {
            s.stop();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void twoReplicasOnAnEmptyDatabaseAgree() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        String kek = ItSupport.newKek();
        String secret = ItSupport.newSecret();
        String adminPassword = "pw-" + ItSupport.newSecret();
        Map<String, String> env = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", pg.getJdbcUrl("postgres", "postgres"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "MELTANO_AUTH_KEY_ENCRYPTION_KEY", kek,
                "MELTANO_AUTH_ADMIN_CLIENT_ID", CLIENT_ID,
                "MELTANO_AUTH_ADMIN_CLIENT_SECRET", secret,
                "MELTANO_AUTH_ADMIN_EMAIL", ADMIN_EMAIL,
                "MELTANO_AUTH_ADMIN_PASSWORD", adminPassword);

        // both at once, then wait for both
        ServerProcess one = ServerProcess.launch("replica-1", tmp.resolve("one"), env);
        servers.add(one);
        ServerProcess two = ServerProcess.launch("replica-2", tmp.resolve("two"), env);
        servers.add(two);
        one.awaitReady();
        two.awaitReady();

        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            assertThat(rows(c, "select alg, status from signing_key"))
                    .as("signing keys after two concurrent first starts")
                    .containsExactly(List.of("RS256", "active"));
            assertThat(rows(c, "select email from app_user")).as("users").containsExactly(List.of(ADMIN_EMAIL));
            assertThat(rows(c, "select r.role_name from user_role r join app_user u on u.id = r.user_id"))
                    .as("bootstrap user's roles").containsExactly(List.of("admin"));
            assertThat(rows(c, "select client_id from client")).as("clients").containsExactly(List.of(CLIENT_ID));
            assertThat(rows(c, "select role_name from client_role where client_id = '" + CLIENT_ID + "'"))
                    .as("bootstrap client's roles").containsExactly(List.of("admin"));
            assertThat(rows(c, "select name from secret_key order by name"))
                    .as("one client-secret hash key and one pairwise subject key")
                    .containsExactly(List.of("client-secret-hmac"), List.of("pairwise-subject-hmac"));
        }

        assertThat(ItSupport.jwks(two.baseUrl()).toString()).as("JWKS of both replicas")
                .isEqualTo(ItSupport.jwks(one.baseUrl()).toString());

        String token = ItSupport.clientCredentialsToken(one.baseUrl(), CLIENT_ID, secret);
        ItSupport.Reply roles = ItSupport.get(two.baseUrl() + "/admin/api/roles", token);
        assertThat(roles.status()).as("replica 2 accepts replica 1's token: %s", roles.body()).isEqualTo(200);
        // and the other way round, with the secret hash key both must share
        String token2 = ItSupport.clientCredentialsToken(two.baseUrl(), CLIENT_ID, secret);
        assertThat(ItSupport.get(one.baseUrl() + "/admin/api/roles", token2).status()).isEqualTo(200);

        for (ServerProcess s : servers) {
            assertThat(s.output()).doesNotContain(secret).doesNotContain(kek).doesNotContain(adminPassword)
                    .doesNotContain(token).doesNotContain(token2);
        }
    }

    private static List<List<String>> rows(Connection c, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
