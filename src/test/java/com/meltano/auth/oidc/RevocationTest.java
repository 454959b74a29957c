package com.meltano.auth.oidc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.login.Browser.Tokens;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * RFC 7009 token revocation: a refresh token takes its whole grant with it (the access tokens
 * too, section 2.1); an access token alone stops working but leaves its refresh token alone;
 * unknown tokens and other clients' tokens get the same 200 and change nothing; the client must
 * authenticate.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RevocationTest {

    @Test
    void revokeRefreshTokenThenRefreshAndAccessTokensOfTheGrantStopWorking() {
        Client client = Browser.webClient(true);
        Tokens t = tokensFor(client);

        Response r = revoke(client, t.refreshToken(), null);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).contains("no-store");
        Response refresh = Browser.refresh(client, t.refreshToken());
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat((String) refresh.path("error")).isEqualTo("invalid_grant");
        assertThat(Browser.userinfoStatus(t.accessToken())).isEqualTo(401);
        assertThat(IntrospectionTest.introspect(client, t.accessToken(), null).asString()).isEqualTo("{\"active\":false}");
    }

    @Test
    void revokeRefreshTokenWithAccessTokenHintThenStillRevoked() {
        Client client = Browser.webClient(true);
        Tokens t = tokensFor(client);

        Response r = revoke(client, t.refreshToken(), "access_token");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Browser.refresh(client, t.refreshToken()).statusCode()).isEqualTo(400);
    }

    @Test
    void revokeAccessTokenThenItStopsButRefreshTokenStillWorks() {
        Client client = Browser.webClient(true);
        Tokens t = tokensFor(client);

        Response r = revoke(client, t.accessToken(), "access_token");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Browser.userinfoStatus(t.accessToken())).isEqualTo(401);
        assertThat(IntrospectionTest.introspect(client, t.accessToken(), null).asString()).isEqualTo("{\"active\":false}");
        Tokens next = Browser.refreshed(client, t.refreshToken());
        assertThat(Browser.userinfoStatus(next.accessToken())).isEqualTo(200);
    }

    @Test
    void revokeAccessTokenWithoutHintThenItStops() {
        Client client = Browser.webClient(true);
        Tokens t = tokensFor(client);

        assertThat(revoke(client, t.accessToken(), null).statusCode()).isEqualTo(200);

        assertThat(Browser.userinfoStatus(t.accessToken())).isEqualTo(401);
    }

    @Test
    void revokeUnknownTokenThenOk() {
        Client client = Browser.webClient(true);

        Response r = revoke(client, "unknown-" + UUID.randomUUID(), "refresh_token");

        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void revokeWhenTokenParameterMissingThenInvalidRequest() {
        Client client = Browser.webClient(true);

        Response r = Browser.authenticated(client).contentType(ContentType.URLENC).formParam("token_type_hint", "refresh_token")
                .post("/oauth2/revoke");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.jsonPath().getString("error")).isEqualTo("invalid_request");
    }

    @Test
    void revokeWhenTokenOfAnotherClientThenOkAndTokenStillWorks() {
        Client owner = Browser.webClient(true);
        Client other = Browser.webClient(true);
        Tokens t = tokensFor(owner);

        Response refreshRevoke = revoke(other, t.refreshToken(), null);
        Response accessRevoke = revoke(other, t.accessToken(), "access_token");

        assertThat(refreshRevoke.statusCode()).isEqualTo(200);
        assertThat(accessRevoke.statusCode()).isEqualTo(200);
        assertThat(Browser.userinfoStatus(t.accessToken())).isEqualTo(200);
        assertThat(Browser.refresh(owner, t.refreshToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void revokeWhenNoClientAuthenticationThenInvalidClient() {
        Client client = Browser.webClient(true);
        Tokens t = tokensFor(client);

        Response r = given().contentType(ContentType.URLENC).formParam("token", t.refreshToken()).post("/oauth2/revoke");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat((String) r.path("error")).isEqualTo("invalid_client");
        assertThat(Browser.refresh(client, t.refreshToken()).statusCode()).as("nothing revoked").isEqualTo(200);
    }

    @Test
    void revokeWhenWrongClientSecretThenInvalidClientAndNothingRevoked() {
        Client client = Browser.webClient(true);
        Tokens t = tokensFor(client);

        Response r = given().auth().preemptive().basic(client.id(), "wrong-secret-0123456789abcdefghijklmnopqrstuv")
                .contentType(ContentType.URLENC).formParam("token", t.refreshToken()).post("/oauth2/revoke");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat((String) r.path("error")).isEqualTo("invalid_client");
        assertThat(Browser.refresh(client, t.refreshToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void revokeWhenPublicClientOwnsTheTokenThenRevokedWithClientIdOnly() {
        Client client = Browser.registerClient(Map.of("first_party", true, "token_endpoint_auth_method", "none"));
        assertThat(client.secret()).isNull();
        Tokens t = tokensFor(client);

        Response r = revoke(client, t.refreshToken(), null);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(Browser.refresh(client, t.refreshToken()).statusCode()).isEqualTo(400);
    }

    @Test
    void revocationWhenDiscoveredThenAnnounced() {
        assertThat((String) given().get("/.well-known/openid-configuration").path("revocation_endpoint"))
                .isEqualTo("http://localhost:8080/oauth2/revoke");
    }

    // ------------------------------------------------------------------ helpers

    static Response revoke(Client client, String token, String hint) {
        var r = Browser.authenticated(client).contentType(ContentType.URLENC).formParam("token", token);
        if (hint != null) {
            r = r.formParam("token_type_hint", hint);
        }
        return r.post("/oauth2/revoke");
    }

    /** A fresh user signed in to the client: its tokens (with a refresh token). */
    static Tokens tokensFor(Client client) {
        String email = Browser.uniqueEmail("tokens");
        Browser.createUser(email, Browser.PASSWORD);
        Browser.SignIn signIn = new Browser().signIn(client.id(), client.redirectUri(), "openid", email, Browser.PASSWORD);
        Tokens t = Browser.exchange(client, signIn);
        assertThat(t.refreshToken()).isNotBlank();
        return t;
    }
}
