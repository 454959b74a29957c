package com.meltano.auth.oauth2.token;

import static com.meltano.auth.oauth2.token.TokenFixtures.basic;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.meltano.auth.oauth2.token.TokenFixtures.Client;
import com.meltano.auth.support.Parallel;
import com.meltano.auth.support.PostgresTestResource;
import com.meltano.auth.support.ThrottleBounds;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Client authentication at the token endpoint (RFC 6749 section 2.3; SPEC section 4): both secret
 * methods for a confidential client, Basic credentials URL-decoded after base64, and throttling of
 * failures per (client, source address).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ClientAuthenticationTest {

    private static final String TOKEN = "/oauth2/token";

    @Test
    void tokenWhenClientSecretPostThenIssuedForTheClient() {
        Client c = TokenFixtures.serviceClient();

        Response r = given().formParam("grant_type", "client_credentials")
                .formParam("client_id", c.id()).formParam("client_secret", c.secret())
                .post(TOKEN);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).contains("no-store");
        assertThat(subjectOf(r.path("access_token"))).isEqualTo(c.id());
    }

    @Test
    void tokenWhenClientRegisteredForPostUsesBasicThenIssued() {
        Client c = TokenFixtures.register(Map.of("grant_types", List.of("client_credentials"), "redirect_uris", List.of(),
                "token_endpoint_auth_method", "client_secret_post"));

        Response r = given().header("Authorization", basic(c.id(), c.secret()))
                .formParam("grant_type", "client_credentials").post(TOKEN);

        assertThat(r.statusCode()).as("SPEC 4: a confidential client may use either secret method; %s", r.asString())
                .isEqualTo(200);
    }

    @Test
    void tokenWhenBasicCredentialsFormUrlEncodedThenDecodedAfterBase64() {
        String clientId = TokenFixtures.unique("svc.reporting-");
        Client c = TokenFixtures.register(Map.of("client_id", clientId, "grant_types", List.of("client_credentials"),
                "redirect_uris", List.of()));
        assertThat(c.id()).isEqualTo(clientId);
        assertThat(c.secret()).as("256-bit base64url secret").matches("[A-Za-z0-9_-]{43}");

        // RFC 6749 2.3.1: urlencode(id) ":" urlencode(secret), then base64; built by hand, not by RestAssured
        Response encoded = given().header("Authorization", basic(c.id(), c.secret()))
                .formParam("grant_type", "client_credentials").post(TOKEN);
        // a decoder must also accept characters that need no encoding but were percent-encoded anyway
        Response everyCharEncoded = given().header("Authorization",
                TokenFixtures.basicRaw(percentEncodeAll(c.id()) + ":" + percentEncodeAll(c.secret())))
                .formParam("grant_type", "client_credentials").post(TOKEN);

        assertThat(encoded.statusCode()).as(encoded.asString()).isEqualTo(200);
        assertThat(everyCharEncoded.statusCode()).as(everyCharEncoded.asString()).isEqualTo(200);
        assertThat(subjectOf(everyCharEncoded.path("access_token"))).isEqualTo(clientId);
    }

    @Test
    void tokenWhenSixWrongSecretsThenCorrectSecretFromSameAddressThrottled429WithRetryAfter() {
        Client c = TokenFixtures.serviceClient();
        for (int i = 0; i < 6; i++) {
            given().header("Authorization", basic(c.id(), "wrong-secret-" + i + "-0123456789abcdefghijklmnop"))
                    .formParam("grant_type", "client_credentials").post(TOKEN)
                    .then().statusCode(401);
        }

        Response r = given().header("Authorization", basic(c.id(), c.secret()))
                .formParam("grant_type", "client_credentials").post(TOKEN);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(429);
        assertThat(r.header("Retry-After")).as("Retry-After in whole seconds").matches("[1-9][0-9]*");
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.header("Cache-Control")).contains("no-store");
        assertThat((String) r.path("error")).isEqualTo("invalid_client");
        assertThat(r.asString()).doesNotContain(c.secret());
    }

    @Test
    void tokenWhenThrottledAtOneAddressThenCorrectSecretFromAnotherAddressAccepted() throws Exception {
        Client c = TokenFixtures.serviceClient();
        InetAddress here = InetAddress.getByName("127.0.0.1");
        InetAddress elsewhere = InetAddress.getByName("127.0.0.2"); // all of 127/8 is loopback on Linux
        for (int i = 0; i < 6; i++) {
            RawHttp.Response wrong = RawHttp.postForm(here, RestAssured.port, TOKEN,
                    basic(c.id(), "wrong-secret-" + i + "-0123456789abcdefghijklmnop"), "grant_type=client_credentials");
            assertThat(wrong.status()).isEqualTo(401);
        }

        RawHttp.Response fromElsewhere = RawHttp.postForm(elsewhere, RestAssured.port, TOKEN, basic(c.id(), c.secret()),
                "grant_type=client_credentials");
        RawHttp.Response fromHere = RawHttp.postForm(here, RestAssured.port, TOKEN, basic(c.id(), c.secret()),
                "grant_type=client_credentials");

        assertThat(fromElsewhere.status()).as("SPEC 4: a correct credential from another address is never refused; %s",
                fromElsewhere.body()).isEqualTo(200);
        // and the block was in force all along: the same credential from the failing address is still refused
        assertThat(fromHere.status()).as(fromHere.body()).isEqualTo(429);
    }

    /**
     * SPEC section 4: attempts in progress count. Forty wrong secrets at once, for a client whose
     * snapshot is cached as "no throttle records": at most FREE_FAILURES (5) + 1 are checked and
     * answered 401, the rest 429; then the right secret from that address is refused, and from
     * another address it gets a token.
     */
    @Test
    void tokenWhenFortyWrongSecretsInParallelThenAtMostSixChecked401AndRightOneRefusedHereButAcceptedElsewhere()
            throws Exception {
        Client c = TokenFixtures.serviceClient();
        InetAddress here = InetAddress.getByName("127.0.0.1");
        InetAddress elsewhere = InetAddress.getByName("127.0.0.2"); // all of 127/8 is loopback on Linux
        assertThat(RawHttp.postForm(here, RestAssured.port, TOKEN, basic(c.id(), c.secret()), "grant_type=client_credentials")
                .status()).as("the client's snapshot is now cached, with no throttle records").isEqualTo(200);

        long start = System.nanoTime();
        List<RawHttp.Response> answers = Parallel.run(40, i -> post(here, basic(c.id(), "parallel-wrong-" + i + "-0123456789abcdef")));
        double batch = (System.nanoTime() - start) / 1e9;
        RawHttp.Response fromHere = post(here, basic(c.id(), c.secret()));
        double rightAnswered = (System.nanoTime() - start) / 1e9;
        RawHttp.Response fromElsewhere = post(elsewhere, basic(c.id(), c.secret()));

        long checked = answers.stream().filter(a -> a.status() == 401).count();
        long throttled = answers.stream().filter(a -> a.status() == 429).count();
        assertThat(checked + throttled).as("every answer is 401 or 429").isEqualTo(40);
        assertThat(checked).as("wrong secrets actually checked within %.1f s (sequentially at most %d)", batch,
                ThrottleBounds.maxChecked(batch)).isBetween(1L, (long) ThrottleBounds.maxChecked(batch));
        assertThat(answers).allMatch(a -> a.body().contains("\"invalid_client\""));
        assertThat(answers).filteredOn(a -> a.status() == 429).allMatch(a -> a.header("Retry-After").matches("[1-9][0-9]*"));
        if (rightAnswered < ThrottleBounds.surelyBlockedFor(checked)) {
            assertThat(fromHere.status()).as("the right secret, while surely blocked: %s", fromHere.body()).isEqualTo(429);
        }
        assertThat(fromElsewhere.status()).as("SPEC 4: never refused from another address: %s", fromElsewhere.body())
                .isEqualTo(200);
    }

    private static RawHttp.Response post(InetAddress source, String authorization) {
        try {
            return RawHttp.postForm(source, RestAssured.port, TOKEN, authorization, "grant_type=client_credentials");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String subjectOf(String token) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static String percentEncodeAll(String value) {
        StringBuilder s = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            s.append('%').append(String.format("%02X", b));
        }
        return s.toString();
    }
}
