package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.meltano.auth.support.Parallel;
import com.meltano.auth.support.ThrottleBounds;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * SPEC section 10: several replicas share one PostgreSQL and nothing else. Two server processes on
 * two ports: a code issued by one is redeemed by the other; a refresh token rotated on one is a
 * replay on the other; a key rotation asked of both at once stages exactly one new key.
 */
@ProcessLevel
class TwoReplicasIT {

    private static final String ADMIN_ID = "replicas-admin";
    private static final String REDIRECT = "http://127.0.0.1:9999/cb";

    @TempDir
    Path tmp;

    private EmbeddedPostgres pg;
    private ServerProcess one;
    private ServerProcess two;
    private String adminToken;

    @BeforeEach
    void twoReplicas() {
        try {
            pg = EmbeddedPostgres.builder().start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        String secret = ItSupport.newSecret();
        Map<String, String> env = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", pg.getJdbcUrl("postgres", "postgres"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "MELTANO_AUTH_KEY_ENCRYPTION_KEY", ItSupport.newKek(),
                "MELTANO_AUTH_ADMIN_CLIENT_ID", ADMIN_ID,
                "MELTANO_AUTH_ADMIN_CLIENT_SECRET", secret);
        one = ServerProcess.launch("replicas-1", tmp.resolve("one"), env);
        two = ServerProcess.launch("replicas-2", tmp.resolve("two"), env);
        one.awaitReady();
        two.awaitReady();
        adminToken = ItSupport.clientCredentialsToken(one.baseUrl(), ADMIN_ID, secret);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (ServerProcess s : new ServerProcess[] {one, two}) {
            if (s != null) {
                s.stop();
            }
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void codeFromOneReplicaRedeemedOnTheOtherAndRefreshReplayDetectedAcrossReplicas() throws Exception {
        String email = "replicas-" + System.nanoTime() + "@example.com";
        String password = "replicas-password-1";
        assertThat(ItSupport.postJson(one.baseUrl() + "/admin/api/users", adminToken, Map.of("email", email, "password", password))
                .status()).isEqualTo(201);
        JsonNode client = ItSupport.postJson(one.baseUrl() + "/admin/api/clients", adminToken, Map.of("name", "replicas web",
                "redirect_uris", List.of(REDIRECT), "grant_types", List.of("authorization_code", "refresh_token"),
                "first_party", true)).json();
        String clientId = client.path("client_id").asText();
        String basic = "Basic " + Base64.getEncoder().encodeToString((ItBrowser.enc(clientId) + ":" + ItBrowser.enc(client.path("client_secret").asText()))
                .getBytes(StandardCharsets.UTF_8));

        // sign in on replica 1
        String verifier = "v" + ItSupport.newSecret() + ItSupport.newSecret();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        ItBrowser browser = new ItBrowser();
        HttpResponse<String> authorize = browser.get(one.baseUrl() + "/oauth2/authorize?response_type=code&client_id=" + ItBrowser.enc(clientId)
                + "&redirect_uri=" + ItBrowser.enc(REDIRECT) + "&scope=openid&state=s1&code_challenge=" + challenge
                + "&code_challenge_method=S256");
        assertThat(authorize.statusCode()).as(authorize.body()).isEqualTo(303);
        HttpResponse<String> page = browser.get(one.baseUrl() + "/login");
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> login = browser.post(one.baseUrl() + "/login",
                Map.of("email", email, "password", password, "csrf", csrf.group(1)), null);
        String location = login.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT);
        String code = ItBrowser.query(location).get("code");

        // redeem on replica 2
        HttpResponse<String> tokens = new ItBrowser().post(two.baseUrl() + "/oauth2/token", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "code_verifier", verifier), basic);
        assertThat(tokens.statusCode()).as("replica 2 redeems replica 1's code: %s", tokens.body()).isEqualTo(200);
        String firstRefresh = ItSupport.JSON.readTree(tokens.body()).path("refresh_token").asText();

        // rotate on replica 1, replay the old token on replica 2
        HttpResponse<String> rotated = new ItBrowser().post(one.baseUrl() + "/oauth2/token", Map.of("grant_type", "refresh_token",
                "refresh_token", firstRefresh), basic);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String newest = ItSupport.JSON.readTree(rotated.body()).path("refresh_token").asText();
        HttpResponse<String> replay = new ItBrowser().post(two.baseUrl() + "/oauth2/token", Map.of("grant_type", "refresh_token",
                "refresh_token", firstRefresh), basic);

        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(ItSupport.JSON.readTree(replay.body()).path("error").asText()).isEqualTo("invalid_grant");
        HttpResponse<String> newestAfterReplay = new ItBrowser().post(one.baseUrl() + "/oauth2/token", Map.of("grant_type", "refresh_token",
                "refresh_token", newest), basic);
        assertThat(newestAfterReplay.statusCode()).as("the whole grant is revoked, on every replica").isEqualTo(400);
    }

    @Test
    void rotationAskedOfBothReplicasAtOnceStagesExactlyOneKey() throws Exception {
        long before = count("select count(*) from signing_key");

        CompletableFuture<ItSupport.Reply> a = CompletableFuture.supplyAsync(
                () -> ItSupport.postJson(one.baseUrl() + "/admin/api/keys/rotate", adminToken, Map.of()));
        CompletableFuture<ItSupport.Reply> b = CompletableFuture.supplyAsync(
                () -> ItSupport.postJson(two.baseUrl() + "/admin/api/keys/rotate", adminToken, Map.of()));

        assertThat(a.get().status()).as(a.get().body()).isEqualTo(202);
        assertThat(b.get().status()).as(b.get().body()).isEqualTo(202);
        assertThat(count("select count(*) from signing_key")).isEqualTo(before + 1);
        assertThat(count("select count(*) from signing_key where status = 'staged'")).isEqualTo(1);
        assertThat(a.get().json().path("keys").get(0).path("kid").asText())
                .as("both answers name the one staged key").isEqualTo(b.get().json().path("keys").get(0).path("kid").asText());
    }

    /**
     * SPEC sections 4 and 10: throttling counters are correct across replicas, and attempts in
     * progress count. Both replicas hold the client's snapshot as "no throttle records" (their fast
     * path); forty wrong secrets spread over both at once: no more are checked than forty sent one
     * after another would get checked; then the right secret on either replica is refused while
     * the block surely holds, although neither replica read the throttle table for it before.
     */
    @Test
    void wrongSecretsSpreadOverBothReplicasInParallelThenSameBoundAsSequentialAndRightOneRefused() {
        ItSupport.Reply created = ItSupport.postJson(one.baseUrl() + "/admin/api/clients", adminToken,
                Map.of("name", "guessed", "redirect_uris", List.of(), "grant_types", List.of("client_credentials")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("client_id").asText();
        String secret = created.json().path("client_secret").asText();
        ItSupport.clientCredentialsToken(one.baseUrl(), id, secret); // both replicas now cache the snapshot
        ItSupport.clientCredentialsToken(two.baseUrl(), id, secret);

        long start = System.nanoTime();
        List<Integer> answers = Parallel.run(40, i -> tokenStatus(i % 2 == 0 ? one : two, id, "wrong-" + i + "-0123456789abcdef"));
        double batch = (System.nanoTime() - start) / 1e9;
        int rightOnTwo = tokenStatus(two, id, secret);
        int rightOnOne = tokenStatus(one, id, secret);
        double rightAnswered = (System.nanoTime() - start) / 1e9;

        long checked = answers.stream().filter(s -> s == 401).count();
        assertThat(answers).as("every answer is 401 or 429").allMatch(s -> s == 401 || s == 429);
        assertThat(checked).as("wrong secrets checked over both replicas within %.1f s (sequentially at most %d)", batch,
                ThrottleBounds.maxChecked(batch)).isBetween(1L, (long) ThrottleBounds.maxChecked(batch));
        if (rightAnswered < ThrottleBounds.surelyBlockedFor(checked)) {
            assertThat(List.of(rightOnTwo, rightOnOne)).as("the right secret on each replica, while surely blocked")
                    .containsOnly(429);
        }
    }

    private static int tokenStatus(ServerProcess server, String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return ItSupport.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/oauth2/token"))
                .timeout(java.time.Duration.ofSeconds(60))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build()).status();
    }

    // ------------------------------------------------------------------ helpers

    private long count(String sql) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
