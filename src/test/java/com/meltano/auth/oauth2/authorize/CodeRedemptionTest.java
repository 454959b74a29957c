package com.meltano.auth.oauth2.authorize;

import static com.meltano.auth.oauth2.authorize.FlowFixtures.OTHER_REDIRECT;
import static com.meltano.auth.oauth2.authorize.FlowFixtures.REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meltano.auth.oauth2.authorize.FlowFixtures.Client;
import com.meltano.auth.oauth2.authorize.FlowFixtures.Pkce;
import com.meltano.auth.oauth2.authorize.FlowFixtures.User;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Redeeming authorization codes at the token endpoint (RFC 6749 sections 4.1.3 and 10.5, RFC 7636
 * section 4.6, RFC 9700 section 4.2; SPEC section 4): a code is bound to its client, redirect URI
 * and PKCE challenge, lives 60 s, works once, and a replay revokes what the first redemption
 * issued. Every refused redemption answers 400 {@code invalid_grant} and issues nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class CodeRedemptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCOPE = "openid offline_access";

    @Inject
    DataSource ds;

    /** A code just issued through the browser flow, and how it was asked for. */
    record Issued(Client client, String code, Pkce pkce) {
    }

    /** A refused redemption: how the code is obtained, and how it is (mis)presented. */
    interface Attempt {
        Response send(Issued issued, List<Client> bystanders, DataSource ds);
    }

    record Case(Supplier<Issued> issue, Attempt attempt) {
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                row("wrong code_verifier", CodeRedemptionTest::publicWithPkce,
                        (i, others, ds) -> FlowFixtures.exchange(i.client(), i.code(), REDIRECT, Pkce.fresh().verifier())),
                row("code_verifier of another format (too short)", CodeRedemptionTest::publicWithPkce,
                        (i, others, ds) -> FlowFixtures.exchange(i.client(), i.code(), REDIRECT, "short")),
                row("challenge itself sent as code_verifier", CodeRedemptionTest::publicWithPkce,
                        (i, others, ds) -> FlowFixtures.exchange(i.client(), i.code(), REDIRECT, i.pkce().challenge())),
                row("missing code_verifier when a challenge was sent", CodeRedemptionTest::publicWithPkce,
                        (i, others, ds) -> FlowFixtures.exchange(i.client(), i.code(), REDIRECT, null)),
                row("code_verifier for a code issued without a challenge", CodeRedemptionTest::confidentialWithoutPkce,
                        (i, others, ds) -> FlowFixtures.exchange(i.client(), i.code(), REDIRECT, Pkce.fresh().verifier())),
                row("wrong redirect_uri (another registered one)", CodeRedemptionTest::publicWithPkce,
                        (i, others, ds) -> FlowFixtures.exchange(i.client(), i.code(), OTHER_REDIRECT, i.pkce().verifier())),
                row("redirect_uri on another loopback port", CodeRedemptionTest::publicWithPkce,
                        (i, others, ds) -> FlowFixtures.exchange(i.client(), i.code(), "http://127.0.0.1:12345/cb", i.pkce().verifier())),
                row("missing redirect_uri", CodeRedemptionTest::publicWithPkce,
                        (i, others, ds) -> FlowFixtures.exchange(i.client(), i.code(), null, i.pkce().verifier())),
                row("code presented by another public client", CodeRedemptionTest::publicWithPkce, (i, others, ds) -> {
                    Client thief = FlowFixtures.publicClient(true);
                    others.add(thief);
                    return FlowFixtures.exchange(thief, i.code(), REDIRECT, i.pkce().verifier());
                }),
                row("code presented by another confidential client", CodeRedemptionTest::confidentialWithoutPkce, (i, others, ds) -> {
                    Client thief = FlowFixtures.confidentialClient(true);
                    others.add(thief);
                    return FlowFixtures.exchange(thief, i.code(), REDIRECT, null);
                }),
                row("unknown code", CodeRedemptionTest::publicWithPkce,
                        (i, others, ds) -> FlowFixtures.exchange(i.client(), FlowFixtures.random(32), REDIRECT, i.pkce().verifier())),
                row("expired code", CodeRedemptionTest::publicWithPkce, (i, others, ds) -> {
                    int expired = Database.update(ds, "update authorization_code set expires_at = now() - interval '1 second'"
                            + " where grant_id in (select id from oauth_grant where client_id = ?)", i.client().id());
                    assertThat(expired).isEqualTo(1);
                    return FlowFixtures.exchange(i.client(), i.code(), REDIRECT, i.pkce().verifier());
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void codeWhenMisredeemedThenInvalidGrantAndNothingIssued(String name, Case c) {
        Issued issued = c.issue().get();
        List<Client> bystanders = new ArrayList<>();

        Response r = c.attempt().send(issued, bystanders, ds);

        FlowFixtures.assertTokenError(r, "invalid_grant");
        assertThat(FlowFixtures.refreshTokens(ds, issued.client().id())).as("refresh tokens issued").isZero();
        for (Client other : bystanders) {
            assertThat(FlowFixtures.grants(ds, other.id())).as("grants of %s", other.id()).isZero();
        }
    }

    @Test
    void codeWhenRedeemedCorrectlyThenOnceOnly() {
        Issued issued = publicWithPkce();

        Response first = FlowFixtures.exchange(issued.client(), issued.code(), REDIRECT, issued.pkce().verifier());
        Response second = FlowFixtures.exchange(issued.client(), issued.code(), REDIRECT, issued.pkce().verifier());

        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        FlowFixtures.assertTokenError(second, "invalid_grant");
    }

    @Test
    void codeWhenReplayedThenGrantRevokedAndFirstRefreshTokenRefused() {
        Issued issued = publicWithPkce();
        Response first = FlowFixtures.exchange(issued.client(), issued.code(), REDIRECT, issued.pkce().verifier());
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        String refreshToken = first.jsonPath().getString("refresh_token");
        assertThat(refreshToken).isNotBlank();
        assertThat(FlowFixtures.revokedGrants(ds, issued.client().id())).isZero();

        Response replay = FlowFixtures.exchange(issued.client(), issued.code(), REDIRECT, issued.pkce().verifier());

        FlowFixtures.assertTokenError(replay, "invalid_grant");
        assertThat(FlowFixtures.grants(ds, issued.client().id())).isEqualTo(1);
        assertThat(FlowFixtures.revokedGrants(ds, issued.client().id())).as("the grant of the code is revoked").isEqualTo(1);
        FlowFixtures.assertTokenError(FlowFixtures.refresh(issued.client(), refreshToken, null), "invalid_grant");
    }

    @Test
    void confidentialClientWithoutPkceWhenRedeemedWithBasicThenTokens() {
        Issued issued = confidentialWithoutPkce();

        Response r = FlowFixtures.exchange(issued.client(), issued.code(), REDIRECT, null);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("refresh_token")).isNotBlank();
    }

    @Test
    void confidentialClientWhenSecretWrongThenInvalidClientAndCodeNotBurnt() {
        Issued issued = confidentialWithoutPkce();
        Client wrongSecret = new Client(issued.client().id(), issued.client().secret() + "x");

        Response refused = FlowFixtures.exchange(wrongSecret, issued.code(), REDIRECT, null);
        Response right = FlowFixtures.exchange(issued.client(), issued.code(), REDIRECT, null);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.jsonPath().getString("error")).isEqualTo("invalid_client");
        assertThat(right.statusCode()).as("client authentication comes before the code is touched: %s", right.asString())
                .isEqualTo(200);
    }

    @Test
    void codeWhenRedeemedByEightThreadsAtOnceThenExactlyOneGetsTokensAndTheGrantIsRevoked() throws Exception {
        Issued issued = publicWithPkce();
        int n = 8;
        HttpClient http = FlowFixtures.httpClient();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return FlowFixtures.postToken(http, issued.client(), Map.of("grant_type", "authorization_code",
                            "code", issued.code(), "redirect_uri", REDIRECT, "code_verifier", issued.pkce().verifier()));
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                responses.add(f.get(120, TimeUnit.SECONDS));
            }

            List<HttpResponse<String>> won = responses.stream().filter(r -> r.statusCode() == 200).toList();
            List<HttpResponse<String>> lost = responses.stream().filter(r -> r.statusCode() != 200).toList();
            assertThat(won).as("exactly one redemption gets tokens: %s", bodies(responses)).hasSize(1);
            for (HttpResponse<String> r : lost) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("invalid_grant");
            }
            assertThat(FlowFixtures.revokedGrants(ds, issued.client().id())).as("the replays revoke the grant").isEqualTo(1);
            JsonNode winner = JSON.readTree(won.get(0).body());
            FlowFixtures.assertTokenError(FlowFixtures.refresh(issued.client(), winner.path("refresh_token").asText(), null),
                    "invalid_grant");
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- arrangements ---------------------------------------------------------------------------

    /** A code for a fresh first-party public client and user, with PKCE S256. */
    static Issued publicWithPkce() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(true);
        Pkce pkce = Pkce.fresh();
        String code = FlowFixtures.signInForCode(new BrowserSession(), user, FlowFixtures.request(client, pkce, SCOPE));
        return new Issued(client, code, pkce);
    }

    /** A code for a fresh first-party confidential client and user, without PKCE. */
    static Issued confidentialWithoutPkce() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.confidentialClient(true);
        String code = FlowFixtures.signInForCode(new BrowserSession(), user, FlowFixtures.request(client, null, SCOPE));
        return new Issued(client, code, null);
    }

    private static List<String> bodies(List<HttpResponse<String>> responses) {
        return responses.stream().map(r -> r.statusCode() + " " + r.body()).toList();
    }

    private static Arguments row(String name, Supplier<Issued> issue, Attempt attempt) {
        return Arguments.of(name, new Case(issue, attempt));
    }
}
