package com.meltano.auth.oauth2.authorize;

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

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.meltano.auth.oauth2.authorize.FlowFixtures.Client;
import com.meltano.auth.oauth2.authorize.FlowFixtures.Pkce;
import com.meltano.auth.oauth2.authorize.FlowFixtures.User;
import com.meltano.auth.support.PostgresTestResource;
import com.nimbusds.jwt.JWTClaimsSet;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The refresh_token grant with rotation (RFC 6749 section 6, RFC 9700 section 4.14.2, OIDC Core
 * 12; SPEC section 4): every use returns a new refresh token, a used one replayed revokes the
 * whole grant, the scope may narrow but never widen, and a disabled user gets nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RefreshTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCOPE = "openid email offline_access";

    @Inject
    DataSource ds;

    /** What a signed-in user's client holds after the code exchange. */
    record Holding(User user, Client client, Response tokens) {
        String refreshToken() {
            return tokens.jsonPath().getString("refresh_token");
        }
    }

    @Test
    void refreshWhenValidThenNewAccessAndNewRefreshToken() throws Exception {
        Holding h = signedIn(FlowFixtures.publicClient(true));

        Response r = FlowFixtures.refresh(h.client(), h.refreshToken(), null);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).contains("no-store");
        String newRefresh = r.jsonPath().getString("refresh_token");
        String newAccess = r.jsonPath().getString("access_token");
        assertThat(newRefresh).isNotBlank().isNotEqualTo(h.refreshToken());
        assertThat(newAccess).isNotBlank().isNotEqualTo(h.tokens().jsonPath().getString("access_token"));
        assertThat(r.jsonPath().getString("scope")).isEqualTo(SCOPE);
        JWTClaimsSet at = FlowFixtures.verifyAccessToken(newAccess);
        assertThat(at.getSubject()).isEqualTo(h.user().id());
        assertThat(at.getStringClaim("client_id")).isEqualTo(h.client().id());
        assertThat(FlowFixtures.refresh(h.client(), newRefresh, null).statusCode()).as("the new one works").isEqualTo(200);
    }

    @Test
    void refreshByConfidentialClientWithBasicThenRotated() {
        Holding h = signedIn(FlowFixtures.confidentialClient(true));

        Response r = FlowFixtures.refresh(h.client(), h.refreshToken(), null);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("refresh_token")).isNotEqualTo(h.refreshToken());
    }

    @Test
    void refreshWithOpenidThenNoNewIdTokenAndAccessTokenKeepsSubjectAndOriginalAuthTime() throws Exception {
        Holding h = signedIn(FlowFixtures.publicClient(true));
        JWTClaimsSet original = FlowFixtures.verifyIdToken(h.tokens().jsonPath().getString("id_token"), h.client().id());

        Response r = FlowFixtures.refresh(h.client(), h.refreshToken(), null);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getMap("$")).as("OIDC Core 12.2: a refresh response may omit the ID token")
                .doesNotContainKey("id_token");
        JWTClaimsSet access = FlowFixtures.verifyAccessToken(r.jsonPath().getString("access_token"));
        assertThat(access.getSubject()).isEqualTo(original.getSubject());
        assertThat(access.getLongClaim("auth_time")).as("the time of the original authentication")
                .isEqualTo(original.getLongClaim("auth_time"));
    }

    @Test
    void refreshWhenOldTokenReplayedThenInvalidGrantAndNewestTokenDeadToo() {
        Holding h = signedIn(FlowFixtures.publicClient(true));
        Response rotated = FlowFixtures.refresh(h.client(), h.refreshToken(), null);
        assertThat(rotated.statusCode()).as(rotated.asString()).isEqualTo(200);
        String newest = rotated.jsonPath().getString("refresh_token");

        Response replay = FlowFixtures.refresh(h.client(), h.refreshToken(), null);

        FlowFixtures.assertTokenError(replay, "invalid_grant");
        assertThat(FlowFixtures.revokedGrants(ds, h.client().id())).as("the grant is revoked").isEqualTo(1);
        FlowFixtures.assertTokenError(FlowFixtures.refresh(h.client(), newest, null), "invalid_grant");
    }

    @Test
    void refreshWhenSameTokenSentTwiceAtOnceThenAtMostOneSucceeds() throws Exception {
        Holding h = signedIn(FlowFixtures.publicClient(true));
        int n = 2;
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
                    return FlowFixtures.postToken(http, h.client(), Map.of("grant_type", "refresh_token",
                            "refresh_token", h.refreshToken()));
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                responses.add(f.get(120, TimeUnit.SECONDS));
            }

            long ok = responses.stream().filter(r -> r.statusCode() == 200).count();
            assertThat(ok).as("%s", responses.stream().map(HttpResponse::body).toList()).isLessThanOrEqualTo(1);
            for (HttpResponse<String> r : responses) {
                if (r.statusCode() != 200) {
                    assertThat(r.statusCode()).isEqualTo(400);
                    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("invalid_grant");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refreshByAnotherClientThenInvalidGrantAndTokenStillWorksForItsOwnClient() {
        Holding h = signedIn(FlowFixtures.publicClient(true));
        Client other = FlowFixtures.publicClient(true);

        Response stolen = FlowFixtures.refresh(other, h.refreshToken(), null);

        FlowFixtures.assertTokenError(stolen, "invalid_grant");
        assertThat(FlowFixtures.grants(ds, other.id())).isZero();
        Response own = FlowFixtures.refresh(h.client(), h.refreshToken(), null);
        assertThat(own.statusCode()).as(own.asString()).isEqualTo(200);
        assertThat(FlowFixtures.revokedGrants(ds, h.client().id())).isZero();
    }

    @Test
    void refreshWithNarrowerScopeThenOnlyThatScopeAndNextRefreshKeepsTheGrantedScope() throws Exception {
        Holding h = signedIn(FlowFixtures.publicClient(true));

        Response narrowed = FlowFixtures.refresh(h.client(), h.refreshToken(), "openid");

        assertThat(narrowed.statusCode()).as(narrowed.asString()).isEqualTo(200);
        assertThat(narrowed.jsonPath().getString("scope")).isEqualTo("openid");
        assertThat(FlowFixtures.verifyAccessToken(narrowed.jsonPath().getString("access_token")).getStringClaim("scope"))
                .isEqualTo("openid");
        // RFC 6749 section 6: a new refresh token has the scope of the one presented, not the narrowed one
        Response next = FlowFixtures.refresh(h.client(), narrowed.jsonPath().getString("refresh_token"), null);
        assertThat(next.statusCode()).as(next.asString()).isEqualTo(200);
        assertThat(next.jsonPath().getString("scope")).isEqualTo(SCOPE);
    }

    @Test
    void refreshWithUnknownScopeValueThenIgnoredNotAnError() {
        Holding h = signedIn(FlowFixtures.publicClient(true));

        Response r = FlowFixtures.refresh(h.client(), h.refreshToken(), "openid foo");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("scope")).isEqualTo("openid");
    }

    @Test
    void refreshWithWiderScopeThenInvalidScope() {
        Holding h = signedIn(FlowFixtures.publicClient(true), "openid email");

        Response r = FlowFixtures.refresh(h.client(), h.refreshToken(), "openid profile");

        FlowFixtures.assertTokenError(r, "invalid_scope");
    }

    /**
     * RFC 6749 section 6 rotates a refresh token when a new one is issued; a refused request issues
     * none, so the token presented must not be used up (else the client's retry counts as a replay
     * and revokes the whole grant).
     */
    @Test
    void refreshWhenWideningRefusedThenTheSameTokenStillRefreshesWithoutWidening() {
        Holding h = signedIn(FlowFixtures.publicClient(true), "openid email");
        FlowFixtures.assertTokenError(FlowFixtures.refresh(h.client(), h.refreshToken(), "openid profile"), "invalid_scope");

        Response retry = FlowFixtures.refresh(h.client(), h.refreshToken(), null);

        assertThat(retry.statusCode()).as("a refused widening must not burn the token: %s", retry.asString()).isEqualTo(200);
        assertThat(FlowFixtures.revokedGrants(ds, h.client().id())).isZero();
    }

    @Test
    void refreshWhenUserDisabledThenInvalidGrant() {
        Holding h = signedIn(FlowFixtures.publicClient(true));
        FlowFixtures.setUserEnabled(h.user(), false);

        Response r = FlowFixtures.refresh(h.client(), h.refreshToken(), null);

        FlowFixtures.assertTokenError(r, "invalid_grant");
    }

    @Test
    void refreshWhenClientLacksRefreshGrantTypeThenNoRefreshTokenIssued() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.register(Map.of("token_endpoint_auth_method", "none", "first_party", true,
                "grant_types", List.of("authorization_code"), "redirect_uris", List.of(REDIRECT)));
        Pkce pkce = Pkce.fresh();
        String code = FlowFixtures.signInForCode(new BrowserSession(), user, FlowFixtures.request(client, pkce, "openid"));

        Response tokens = FlowFixtures.exchange(client, code, REDIRECT, pkce.verifier());

        assertThat(tokens.statusCode()).as(tokens.asString()).isEqualTo(200);
        assertThat(tokens.jsonPath().getString("refresh_token")).isNull();
        assertThat(FlowFixtures.refreshTokens(ds, client.id())).isZero();
    }

    @Test
    void refreshWithUnknownTokenThenInvalidGrant() {
        Client client = FlowFixtures.publicClient(true);

        FlowFixtures.assertTokenError(FlowFixtures.refresh(client, FlowFixtures.random(32), null), "invalid_grant");
    }

    private static Holding signedIn(Client client) {
        return signedIn(client, SCOPE);
    }

    /** A fresh user signs in to a first-party client, which exchanges the code. */
    private static Holding signedIn(Client client, String scope) {
        User user = FlowFixtures.user();
        Pkce pkce = client.isPublic() ? Pkce.fresh() : null;
        String code = FlowFixtures.signInForCode(new BrowserSession(), user, FlowFixtures.request(client, pkce, scope));
        Response tokens = FlowFixtures.exchange(client, code, REDIRECT, pkce == null ? null : pkce.verifier());
        assertThat(tokens.statusCode()).as(tokens.asString()).isEqualTo(200);
        assertThat(tokens.jsonPath().getString("refresh_token")).isNotBlank();
        return new Holding(user, client, tokens);
    }
}
