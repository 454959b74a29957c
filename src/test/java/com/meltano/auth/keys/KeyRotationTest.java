package com.meltano.auth.keys;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.Es256ShortStaging;
import com.meltano.auth.support.PostgresTestResource;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The key lifecycle of SPEC section 7 through the admin API and the JWKS: staged keys are
 * published before they sign, activation switches the kid of new tokens, retired keys keep
 * verifying their tokens until removed. A profile with a 1 s staging period (and so its own
 * server and database) keeps rotations away from the other tests; its access tokens are ES256,
 * the RS256 keys of ID tokens rotate beside them (the default RS256 rotates in
 * {@code SigningKeyRolloverIT}).
 */
@QuarkusTest
@TestProfile(Es256ShortStaging.class)
@QuarkusTestResource(PostgresTestResource.class)
class KeyRotationTest {

    @TestHTTPResource("/oauth2/jwks")
    URL jwks;

    @Inject
    KeyRotation rotation;

    @Inject
    DataSource dataSource;

    @Test
    void rotateWhenActivateNowThenPublishedAtOnceAndSigningByTheClockAtActivatesAt() throws Exception {
        String before = Api.adminToken();
        String oldKid = kid(before);

        var answer = given().header("Authorization", "Bearer " + before).contentType("application/json")
                .body(Map.of("activate_now", true)).post("/admin/api/keys/rotate")
                .then().statusCode(202).body("state", org.hamcrest.Matchers.equalTo("staged")).extract();
        String newKid = answer.path("kid");
        Instant activatesAt = Instant.parse(answer.path("activates_at"));

        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(publishedKids()).as("published before it signs").contains(oldKid, newKid);
        // the profile's staging period (1 s) is shorter than the fixed delay, so it is the delay here
        assertThat(activatesAt).isBetween(Instant.now().minusSeconds(1), Instant.now().plusSeconds(2));

        sleepUntil(activatesAt.plusMillis(50)); // no maintenance pass: the switch is by the clock
        String after = Api.adminToken();
        assertThat(kid(after)).isEqualTo(newKid);
        verifyIndependently(before);
        verifyIndependently(after);
        // the retired key's token still opens the admin API until it expires
        given().header("Authorization", "Bearer " + before).get("/admin/api/roles").then().statusCode(200);
    }

    @Test
    void rotateWhenActivateNowWhileRotationPendingThenEmergencyKeyIsTheOneThatStays() throws Exception {
        List<KeyRotation.NewKey> pending = rotation.rotate("test", false);
        List<KeyRotation.NewKey> emergency = rotation.rotate("test", true);
        // this profile's staging period is shorter than the emergency delay: both keys activate one
        // staging period after their own request, the emergency one a few microseconds later at most
        assertThat(emergency.get(0).activatesAt()).isBeforeOrEqualTo(pending.get(0).activatesAt().plusSeconds(1));

        sleepUntil(pending.get(0).activatesAt().plusMillis(50));
        rotation.maintain();

        assertThat(kid(Api.adminToken())).isEqualTo(emergency.get(0).kid());
    }

    @Test
    void rotateWhenStagedThenPublishedAtOnceButSigningOnlyAfterStagingPeriod() throws Exception {
        String admin = Api.adminToken();
        String activeKid = kid(admin);

        List<String> staged = given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body(Map.of()).post("/admin/api/keys/rotate")
                .then().statusCode(202).body("state", org.hamcrest.Matchers.equalTo("staged"))
                .extract().path("keys.kid");

        assertThat(publishedKids()).contains(staged.get(0), activeKid);
        assertThat(kid(Api.adminToken())).isEqualTo(activeKid);

        Thread.sleep(1_100); // the profile's staging period
        rotation.maintain();

        String next = Api.adminToken();
        assertThat(kid(next)).isEqualTo(staged.get(0));
        verifyIndependently(admin);
        verifyIndependently(next);
    }

    @Test
    void maintainWhenRetiredKeyOutlivedItsTokensThenRemovedFromJwks() throws Exception {
        // settle what an earlier test left staged (a due key signs by the clock before a
        // maintenance pass promotes it), so that the token below is signed by the active key
        Thread.sleep(1_100); // the profile's staging period
        rotation.maintain();
        String admin = Api.adminToken();
        String oldKid = kid(admin);
        sleepUntil(rotation.rotate("test", true).get(0).activatesAt().plusMillis(50));
        rotation.maintain(); // promotes the new key, retires the old one
        assertThat(publishedKids()).contains(oldKid);

        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(
                        "update signing_key set retired_at = now() - interval '1 day' where kid = ?")) {
            st.setString(1, oldKid);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        Api.forgetAdminToken(); // it may be signed by the key about to go
        // the scheduled pass may hold the maintenance lock at this moment (then this pass does
        // nothing): a later pass, ours or the scheduler's, must remove the key
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        do {
            rotation.maintain();
        } while (publishedKids().contains(oldKid) && System.nanoTime() < deadline && sleep(200));

        assertThat(publishedKids()).doesNotContain(oldKid);
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    @Test
    void rotateWhenStagedTwiceThenOnePendingKeyNotTwo() {
        List<String> first = rotation.rotate("test", false).stream().map(KeyRotation.NewKey::kid).toList();
        List<String> second = rotation.rotate("test", false).stream().map(KeyRotation.NewKey::kid).toList();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void rotateWhenCallerLacksAdminRightThenForbiddenAndNothingRotated() {
        Map<String, String> client = Api.createServiceClient(List.of(), true);
        String token = Api.token(client.get("client_id"), client.get("client_secret"), null);
        List<String> kidsBefore = publishedKids();
        given().header("Authorization", "Bearer " + token).contentType("application/json").body(Map.of("activate_now", true))
                .post("/admin/api/keys/rotate").then().statusCode(403);
        given().contentType("application/json").body(Map.of()).post("/admin/api/keys/rotate").then().statusCode(401);
        assertThat(publishedKids()).isEqualTo(kidsBefore);
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long millis = java.time.Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    private List<String> publishedKids() {
        return given().get("/oauth2/jwks").then().statusCode(200).extract().path("keys.kid");
    }

    /** Nimbus against the JWKS as fetched now: signature, typ at+jwt, iss, aud, exp. */
    private void verifyIndependently(String token) throws Exception {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(JWKSet.load(jwks))));
        var claims = p.process(token, null);
        assertThat(claims.getAudience()).containsExactly("meltano");
        assertThat(claims.getIssuer()).isEqualTo("http://localhost:8080");
    }
}
