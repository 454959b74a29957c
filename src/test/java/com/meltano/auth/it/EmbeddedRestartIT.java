package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * SPEC section 2: without {@code QUARKUS_DATASOURCE_JDBC_URL} the server runs an embedded
 * PostgreSQL in {@code MELTANO_AUTH_DATA_DIR} whose data, signing keys included, survive a restart;
 * the generated key-encryption key is readable by the owner only; nothing secret reaches the logs.
 */
@ProcessLevel
class EmbeddedRestartIT {

    private static final String CLIENT_ID = "it-restart-admin";

    @TempDir
    Path tmp;

    private ServerProcess server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void dataKeysAndTokensSurviveARestart() throws Exception {
        Path dataDir = tmp.resolve("data");
        String secret = ItSupport.newSecret();
        String email = "restart-" + UUID.randomUUID() + "@example.com";
        String password = "pw-" + ItSupport.newSecret();
        Map<String, String> env = Map.of(
                "MELTANO_AUTH_ADMIN_CLIENT_ID", CLIENT_ID,
                "MELTANO_AUTH_ADMIN_CLIENT_SECRET", secret);

        // first start: initdb, migrations, a generated key-encryption key and signing key
        server = ServerProcess.start("restart-1", dataDir, env);
        String tokenBefore = ItSupport.clientCredentialsToken(server.baseUrl(), CLIENT_ID, secret);
        ItSupport.Reply created = ItSupport.postJson(server.baseUrl() + "/admin/api/users", tokenBefore,
                Map.of("email", email, "password", password));
        assertThat(created.status()).as("create user: %s", created.body()).isEqualTo(201);
        String userId = created.json().path("id").asText();
        assertThat(userId).isNotBlank();
        // a new data directory never trusted anyone: initdb set the generated password and scram-sha-256
        Path passwordFile = dataDir.resolve("postgres-password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        String dbPassword = ItSupport.embeddedDatabasePassword(dataDir);
        assertThatThrownBy(() -> ItSupport.embeddedDatabase(dataDir, ItSupport.newSecret()).close())
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");
        try (Connection c = ItSupport.embeddedDatabase(dataDir, dbPassword);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from pg_hba_file_rules where auth_method <> 'scram-sha-256'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("pg_hba.conf lines that do not ask for the password").isZero();
        }
        assertThat(ItSupport.embeddedVerifierIterations(dataDir, dbPassword))
                .as("the verifier initdb made (4096 iterations) replaced by one of few: the password is random").isEqualTo(16);
        JWKSet jwksBefore = ItSupport.jwks(server.baseUrl());
        Set<String> kidsBefore = ItSupport.kids(jwksBefore);
        assertThat(kidsBefore).isNotEmpty();
        assertThat(ItSupport.verifyAccessToken(tokenBefore, jwksBefore, ItSupport.DEFAULT_ISSUER).getSubject())
                .isEqualTo(CLIENT_ID);
        ServerProcess.Stopped firstStop = server.stop();
        String firstOutput = server.output();
        assertThat(firstStop.forced())
                .as("the server should end on SIGTERM within %s (and close its PostgreSQL); output:%n%s",
                        ServerProcess.STOP_TIMEOUT, firstOutput)
                .isFalse();

        // second start on the same data directory
        server = ServerProcess.start("restart-2", dataDir, env);
        String tokenAfter = ItSupport.clientCredentialsToken(server.baseUrl(), CLIENT_ID, secret);
        ItSupport.Reply found = ItSupport.get(server.baseUrl() + "/admin/api/users?email="
                + java.net.URLEncoder.encode(email, StandardCharsets.UTF_8), tokenAfter);
        assertThat(found.status()).as("list users: %s", found.body()).isEqualTo(200);
        List<JsonNode> items = new java.util.ArrayList<>();
        found.json().path("items").forEach(items::add);
        assertThat(items).extracting(n -> n.path("email").asText()).containsExactly(email);
        assertThat(items.get(0).path("id").asText()).isEqualTo(userId);

        JWKSet jwksAfter = ItSupport.jwks(server.baseUrl());
        assertThat(ItSupport.kids(jwksAfter)).as("JWKS kids after restart").isEqualTo(kidsBefore);
        JWTClaimsSet claims = ItSupport.verifyAccessToken(tokenBefore, jwksAfter, ItSupport.DEFAULT_ISSUER);
        assertThat(claims.getSubject()).isEqualTo(CLIENT_ID);
        assertThat(claims.getAudience()).containsExactly("meltano");
        // the same token is still good for the admin API: nothing was revoked by the restart
        assertThat(ItSupport.get(server.baseUrl() + "/admin/api/roles", tokenBefore).status()).isEqualTo(200);

        Path kekFile = dataDir.resolve("key-encryption-key");
        assertThat(kekFile).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kekFile))).isEqualTo("rw-------");
        String kek = Files.readString(kekFile, StandardCharsets.US_ASCII).trim();
        assertThat(kek).isNotEmpty();

        ServerProcess.Stopped secondStop = server.stop();
        String secondOutput = server.output();
        server = null;
        assertThat(secondStop.forced()).as("second stop on SIGTERM; output:%n%s", secondOutput).isFalse();

        // the first start located the embedding library's binaries and recorded where; the second took them from there
        assertThat(dataDir.resolve("postgres-binaries")).isRegularFile();
        assertThat(firstOutput).contains("Detected a Linux");
        assertThat(secondOutput).as("the second start located the binaries again:%n%s", secondOutput)
                .doesNotContain("Detected a Linux");
        assertThat(firstOutput).contains("Successfully applied");
        assertThat(secondOutput).as("the second start on a current schema loaded Flyway:%n%s", secondOutput)
                .doesNotContain("org.flywaydb").doesNotContain("[or.fl.");

        for (String output : List.of(firstOutput, secondOutput)) {
            assertThat(output)
                    .as("server output must not contain secrets")
                    .doesNotContain(secret)
                    .doesNotContain(kek)
                    .doesNotContain(dbPassword)
                    .doesNotContain(password)
                    .doesNotContain(tokenBefore)
                    .doesNotContain(tokenAfter)
                    .doesNotContain(tokenBefore.substring(tokenBefore.lastIndexOf('.') + 1));
            assertThat(ItSupport.stackTraceLines(output)).as("stack traces in:%n%s", output).isEmpty();
        }
    }
}
