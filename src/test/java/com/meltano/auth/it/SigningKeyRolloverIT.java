package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * SPEC sections 7 and 9: a key is in the JWKS of every replica before any replica signs with it.
 * (1) A data dir restarted with another {@code MELTANO_AUTH_SIGNING_ALG} stages the new
 * algorithm's key and keeps signing with the current one until it activates. (2) Two replicas on
 * one PostgreSQL, {@code activate_now} asked of one: tokens of both replicas only ever carry a
 * {@code kid} that both replicas' JWKS listed before the token was issued, and both switch at the
 * announced {@code activates_at}.
 */
@ProcessLevel
class SigningKeyRolloverIT {

    private static final String ADMIN_ID = "rollover-admin";
    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private final String secret = ItSupport.newSecret();
    private ServerProcess one;
    private ServerProcess two;
    private EmbeddedPostgres pg;

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
    void restartWithAnotherAlgorithmThenItsKeyIsPublishedFirstAndSignsOnlyAfterStaging() throws Exception {
        Path data = tmp.resolve("data");
        Map<String, String> env = new HashMap<>(Map.of("MELTANO_AUTH_ADMIN_CLIENT_ID", ADMIN_ID,
                "MELTANO_AUTH_ADMIN_CLIENT_SECRET", secret, "MELTANO_AUTH_KEY_STAGING_PERIOD", "PT20S"));
        one = ServerProcess.start("rollover-rs256", data, env);
        JWKSet beforeRestart = ItSupport.jwks(one.baseUrl());
        String rsToken = token(one);
        assertThat(alg(rsToken)).isEqualTo("RS256");
        one.stop();

        env.put("MELTANO_AUTH_SIGNING_ALG", "ES256");
        one = ServerProcess.start("rollover-es256", data, env);
        JWKSet atRestart = ItSupport.jwks(one.baseUrl());
        List<String> esKids = atRestart.getKeys().stream().filter(k -> "ES256".equals(String.valueOf(k.getAlgorithm())))
                .map(JWK::getKeyID).toList();
        assertThat(esKids).as("the new algorithm's key is published at once").hasSize(1);
        assertThat(ItSupport.get(one.baseUrl() + "/.well-known/openid-configuration", null).json()
                .path("id_token_signing_alg_values_supported").toString()).isEqualTo("[\"RS256\"]");

        String first = token(one);
        assertThat(alg(first)).as("still the current key after the restart").isEqualTo("RS256");
        ItSupport.verifyAccessToken(first, beforeRestart, ItSupport.DEFAULT_ISSUER); // a verifier that fetched before the restart

        int rsAfterRestart = 0;
        boolean switched = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!switched && System.nanoTime() < deadline) {
            JWKSet fetched = ItSupport.jwks(one.baseUrl());
            String token = token(one);
            assertThat(ItSupport.kids(fetched)).as("kid of a token in the JWKS fetched just before it").contains(kid(token));
            ItSupport.verifyAccessToken(token, fetched, ItSupport.DEFAULT_ISSUER);
            if ("ES256".equals(alg(token))) {
                assertThat(kid(token)).as("the ES256 key that was published at the restart").isEqualTo(esKids.get(0));
                switched = true;
            } else {
                assertThat(alg(token)).isEqualTo("RS256");
                rsAfterRestart++;
                Thread.sleep(1_000);
            }
        }
        assertThat(rsAfterRestart).isPositive();
        assertThat(switched).as("ES256 signs once its staging period is over").isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(alg(token(one))).as("and from then on").isEqualTo("ES256");
        }
    }

    @Test
    void activateNowOnOneReplicaThenBothPublishBeforeEitherSignsAndBothSwitchAtActivatesAt() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        Map<String, String> env = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", pg.getJdbcUrl("postgres", "postgres"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "MELTANO_AUTH_KEY_ENCRYPTION_KEY", ItSupport.newKek(),
                "MELTANO_AUTH_ADMIN_CLIENT_ID", ADMIN_ID,
                "MELTANO_AUTH_ADMIN_CLIENT_SECRET", secret);
        one = ServerProcess.launch("rollover-replica-1", tmp.resolve("one"), env);
        two = ServerProcess.launch("rollover-replica-2", tmp.resolve("two"), env);
        one.awaitReady();
        two.awaitReady();
        String oldKid = kid(token(two));

        String admin = token(one);
        long maxAge = jwksMaxAge(two);
        Instant rotationAsked = Instant.now();
        ItSupport.Reply rotated = ItSupport.postJson(one.baseUrl() + "/admin/api/keys/rotate", admin, Map.of("activate_now", true));
        Instant answered = Instant.now();
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(202);
        String newKid = rotated.json().path("kid").asText();
        Instant activatesAt = Instant.parse(rotated.json().path("activates_at").asText());
        assertThat(rotated.json().path("state").asText()).isEqualTo("staged");
        assertThat(activatesAt).as("a fixed short delay, at most 30 s").isBefore(answered.plusSeconds(30))
                .as("a JWKS copy cached before the rotation (max-age %d s) has expired by then", maxAge)
                .isAfter(rotationAsked.plusSeconds(maxAge));

        Map<String, Integer> newTokens = new HashMap<>(Map.of("one", 0, "two", 0));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((newTokens.get("one") < 3 || newTokens.get("two") < 3) && System.nanoTime() < deadline) {
            Set<String> publishedByOne = ItSupport.kids(ItSupport.jwks(one.baseUrl()));
            Set<String> publishedByTwo = ItSupport.kids(ItSupport.jwks(two.baseUrl()));
            for (ServerProcess replica : List.of(one, two)) {
                Instant asked = Instant.now();
                String token = token(replica);
                Instant received = Instant.now();
                String kid = kid(token);
                String name = replica == one ? "one" : "two";
                assertThat(publishedByOne).as("replica %s's token kid in replica one's JWKS fetched before", name).contains(kid);
                assertThat(publishedByTwo).as("replica %s's token kid in replica two's JWKS fetched before", name).contains(kid);
                if (received.isBefore(activatesAt)) {
                    assertThat(kid).as("replica %s before activates_at", name).isEqualTo(oldKid);
                }
                if (asked.isAfter(activatesAt.plusSeconds(1))) {
                    assertThat(kid).as("replica %s after activates_at, by its clock, not by a message", name).isEqualTo(newKid);
                }
                if (kid.equals(newKid)) {
                    newTokens.merge(name, 1, Integer::sum);
                }
            }
            Thread.sleep(200);
        }
        assertThat(newTokens).as("both replicas sign with the new key").allSatisfy((name, n) -> assertThat(n).isGreaterThanOrEqualTo(3));
    }

    private String token(ServerProcess server) {
        return ItSupport.clientCredentialsToken(server.baseUrl(), ADMIN_ID, secret);
    }

    private static long jwksMaxAge(ServerProcess server) throws Exception {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/oauth2/jwks")).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        Matcher m = MAX_AGE.matcher(r.headers().firstValue("Cache-Control").orElse(""));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    private static String alg(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getAlgorithm().getName();
    }
}
