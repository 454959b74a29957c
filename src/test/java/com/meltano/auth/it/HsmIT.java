package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.meltano.auth.support.SoftHsm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWKSet;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * SPEC section 15 with the packaged server and a real PKCS#11 token (SoftHSM2): a wrong module,
 * token label or PIN (and EdDSA with a token) stops the start with one line and never prints the
 * PIN; an installation with software keys moves to the token (its old tokens keep verifying, new
 * tokens carry a kid from the token); two replicas share the token.
 */
@ProcessLevel
class HsmIT {

    private static final String LABEL = "meltano-it";
    private static final String WRONG_PIN = "wrong-pin-5150-xyzzy";
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static SoftHsm hsm;
    private static EmbeddedPostgres pg;

    @BeforeAll
    static void tokenAndDatabase() throws Exception {
        hsm = SoftHsm.create(dir.resolve("softhsm2.conf")).initToken("some-other-token").initToken(LABEL);
        pg = EmbeddedPostgres.builder().start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("create database failures");
            st.execute("create database moving");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    private static Map<String, String> env(String database, String kek) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.getJdbcUrl("postgres", database));
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("MELTANO_AUTH_KEY_ENCRYPTION_KEY", kek);
        env.put("SOFTHSM2_CONF", hsm.conf().toString());
        return env;
    }

    private static Map<String, String> withToken(Map<String, String> env, String module, String label, String pin) {
        Map<String, String> full = new HashMap<>(env);
        full.put("MELTANO_AUTH_PKCS11_LIBRARY", module);
        full.put("MELTANO_AUTH_PKCS11_TOKEN_LABEL", label);
        full.put("MELTANO_AUTH_PKCS11_PIN", pin);
        return full;
    }

    static Stream<Arguments> wrongTokens() {
        return Stream.of(
                Arguments.of("module that is not a PKCS#11 module", "/etc/hostname", LABEL, SoftHsm.PIN, Map.of(),
                        "MELTANO_AUTH_PKCS11_LIBRARY"),
                Arguments.of("module that does not exist", "/usr/lib/softhsm/libnothing.so", LABEL, SoftHsm.PIN, Map.of(),
                        "MELTANO_AUTH_PKCS11_LIBRARY"),
                Arguments.of("no token with the label", SoftHsm.MODULE, "no-such-token", SoftHsm.PIN, Map.of(),
                        "MELTANO_AUTH_PKCS11_TOKEN_LABEL"),
                Arguments.of("wrong PIN", SoftHsm.MODULE, LABEL, WRONG_PIN, Map.of(), "MELTANO_AUTH_PKCS11_PIN"),
                Arguments.of("EdDSA with a token", SoftHsm.MODULE, LABEL, SoftHsm.PIN, Map.of("MELTANO_AUTH_SIGNING_ALG", "EdDSA"),
                        "MELTANO_AUTH_SIGNING_ALG"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongTokens")
    void startWhenTokenSettingWrongThenOneLineNamingTheVariableAndNoPin(String name, String module, String label, String pin,
            Map<String, String> extra, String variable) {
        Map<String, String> env = withToken(env("failures", ItSupport.newKek()), module, label, pin);
        env.putAll(extra);
        ServerProcess.Exit exit = ServerProcess.runToExit("hsm-failure-" + name, dir.resolve("failure-data"), env, EXIT_TIMEOUT);
        String output = exit.output();

        assertThat(exit.exitCode()).as("exit status; output:%n%s", output).isEqualTo(1);
        assertThat(exit.lines().stream().filter(l -> l.contains(variable)).toList())
                .as("exactly one line naming %s; output:%n%s", variable, output).hasSize(1);
        assertThat(ItSupport.stackTraceLines(output)).as("no stack trace; output:%n%s", output).isEmpty();
        assertThat(output).as("the PIN is never printed").doesNotContain(pin).doesNotContain(SoftHsm.PIN);
    }

    @Test
    void startWhenStoredKeysAreNotInTheTokenThenOneLineNamingTheLabelAndNoStackTrace() throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("create database elsewhere");
        }
        Map<String, String> software = env("elsewhere", ItSupport.newKek());
        try (ServerProcess first = ServerProcess.start("hsm-keys-made", dir.resolve("made"), withToken(software, SoftHsm.MODULE,
                LABEL, SoftHsm.PIN))) {
            first.stop();
        }
        // the same database with another (empty) token: its keys' objects are not there
        ServerProcess.Exit exit = ServerProcess.runToExit("hsm-keys-elsewhere", dir.resolve("elsewhere"),
                withToken(software, SoftHsm.MODULE, "some-other-token", SoftHsm.PIN), EXIT_TIMEOUT);
        String output = exit.output();

        assertThat(exit.exitCode()).as("exit status; output:%n%s", output).isEqualTo(1);
        assertThat(exit.lines().stream().filter(l -> l.contains("MELTANO_AUTH_PKCS11_TOKEN_LABEL")).toList())
                .as("exactly one line naming the label; output:%n%s", output).hasSize(1);
        assertThat(ItSupport.stackTraceLines(output)).as("no stack trace; output:%n%s", output).isEmpty();
        assertThat(output).as("the PIN is never printed").doesNotContain(SoftHsm.PIN);
    }

    @Test
    void moveToTokenWhenSoftwareKeysThenOldTokensVerifyNewOnesComeFromTheTokenOnBothReplicas() throws Exception {
        String kek = ItSupport.newKek();
        String adminId = "hsm-admin";
        String secret = ItSupport.newSecret();
        Map<String, String> software = env("moving", kek);
        software.put("MELTANO_AUTH_ADMIN_CLIENT_ID", adminId);
        software.put("MELTANO_AUTH_ADMIN_CLIENT_SECRET", secret);
        software.put("MELTANO_AUTH_SIGNING_ALG", "ES256");

        String oldToken;
        try (ServerProcess before = ServerProcess.start("hsm-software", dir.resolve("software"), software)) {
            oldToken = ItSupport.clientCredentialsToken(before.baseUrl(), adminId, secret);
            before.stop();
        }
        String oldKid = JWSObject.parse(oldToken).getHeader().getKeyID();

        // the move: the old key-encryption key is given as the previous one, for one start
        Map<String, String> inToken = withToken(software, SoftHsm.MODULE, LABEL, SoftHsm.PIN);
        inToken.remove("MELTANO_AUTH_KEY_ENCRYPTION_KEY");
        inToken.put("MELTANO_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS", kek);
        inToken.put("MELTANO_AUTH_KEY_STAGING_PERIOD", "PT2S");
        try (ServerProcess one = ServerProcess.launch("hsm-replica-1", dir.resolve("one"), inToken);
                ServerProcess two = ServerProcess.launch("hsm-replica-2", dir.resolve("two"), inToken)) {
            one.awaitReady();
            two.awaitReady();
            ItSupport.verifyAccessToken(oldToken, ItSupport.jwks(two.baseUrl()), ItSupport.DEFAULT_ISSUER);

            sleepUntil(latestTokenKeyActivation()); // the token's keys were staged: tokens signed by the old key are cached
            String fromOne = ItSupport.clientCredentialsToken(one.baseUrl(), adminId, secret);
            String fromTwo = ItSupport.clientCredentialsToken(two.baseUrl(), adminId, secret);
            String newKid = JWSObject.parse(fromOne).getHeader().getKeyID();

            assertThat(newKid).isNotEqualTo(oldKid);
            assertThat(JWSObject.parse(fromTwo).getHeader().getKeyID()).as("both replicas sign with the one key in the token")
                    .isEqualTo(newKid);
            assertThat(labelOf(newKid)).as("the new key is a token object").startsWith("meltano-auth-");
            for (String token : List.of(oldToken, fromOne, fromTwo)) {
                for (ServerProcess replica : List.of(one, two)) {
                    JWKSet jwks = ItSupport.jwks(replica.baseUrl());
                    ItSupport.verifyAccessToken(token, jwks, ItSupport.DEFAULT_ISSUER);
                }
            }
            assertThat(one.output() + two.output()).as("the PIN is never logged").doesNotContain(SoftHsm.PIN);
        }
        assertThat(column("select kek_id from secret_key union all select kek_id from signing_key where kek_id is not null"))
                .as("everything wrapped under the old key is re-wrapped under the token's key")
                .isNotEmpty().allMatch(id -> id.startsWith("pkcs11:"));

        // and the old key is no longer needed
        Map<String, String> tokenOnly = new HashMap<>(inToken);
        tokenOnly.remove("MELTANO_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS");
        try (ServerProcess after = ServerProcess.start("hsm-token-only", dir.resolve("after"), tokenOnly)) {
            ItSupport.verifyAccessToken(oldToken, ItSupport.jwks(after.baseUrl()), ItSupport.DEFAULT_ISSUER);
            String token = ItSupport.clientCredentialsToken(after.baseUrl(), adminId, secret);
            ItSupport.verifyAccessToken(token, ItSupport.jwks(after.baseUrl()), ItSupport.DEFAULT_ISSUER);
        }
    }

    private static List<String> column(String sql) throws Exception {
        List<String> values = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "moving"));
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static Instant latestTokenKeyActivation() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "moving"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select max(activates_at) from signing_key where pkcs11_label is not null")) {
            rs.next();
            return rs.getTimestamp(1) == null ? Instant.now() : rs.getTimestamp(1).toInstant();
        }
    }

    private static String labelOf(String kid) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "moving"));
                PreparedStatement st = c.prepareStatement("select coalesce(pkcs11_label, '') from signing_key where kid = ?")) {
            st.setString(1, kid);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long wait = when.toEpochMilli() - System.currentTimeMillis() + 100;
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
