package com.meltano.auth.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.login.Browser.SignIn;
import com.meltano.auth.oauth2.client.ClientOrigins;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * CORS as SPEC section 4 says: token, revocation and userinfo answer the origins of registered
 * redirect URIs (never with credentials); JWKS and discovery answer any origin; the authorization
 * endpoint never answers CORS.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class CorsTest {

    private static final String STRANGER = "https://stranger.example";

    @Inject
    ClientOrigins origins;

    @Test
    void preflightTokenWhenOriginOfRegisteredRedirectUriThenAllowedWithoutCredentials() {
        String origin = originOf(registeredClient());

        Response r = preflight("/oauth2/token", origin, "POST");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(origin);
        assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
        assertThat(r.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(r.header("Vary")).contains("Origin");
    }

    @Test
    void preflightRevocationAndUserinfoWhenRegisteredOriginThenAllowed() {
        String origin = originOf(registeredClient());

        Response revoke = preflight("/oauth2/revoke", origin, "POST");
        Response userinfo = preflight("/userinfo", origin, "GET");

        assertThat(revoke.header("Access-Control-Allow-Origin")).isEqualTo(origin);
        assertThat(userinfo.header("Access-Control-Allow-Origin")).isEqualTo(origin);
        assertThat(userinfo.header("Access-Control-Allow-Headers")).containsIgnoringCase("Authorization");
    }

    @Test
    void preflightIntrospectionAndLogoutWhenRegisteredOriginThenNoCors() {
        String origin = originOf(registeredClient());

        // announced in discovery, but for back ends and navigation only (SPEC section 4 lists who answers CORS)
        for (String path : List.of("/oauth2/introspect", "/logout")) {
            Response r = preflight(path, origin, "POST");

            assertThat(r.header("Access-Control-Allow-Origin")).as(path).isNull();
        }
    }

    @Test
    void preflightTokenWhenOtherOriginThenNoAllowOrigin() {
        registeredClient();

        Response r = preflight("/oauth2/token", STRANGER, "POST");

        assertThat(r.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void preflightTokenWhenOriginDiffersOnlyBySchemeOrPortThenNoAllowOrigin() {
        String origin = originOf(registeredClient());

        assertThat(preflight("/oauth2/token", origin.replace("https://", "http://"), "POST")
                .header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight("/oauth2/token", origin + ":8443", "POST").header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void jwksAndDiscoveryWhenAnyOriginThenWildcard() {
        for (String path : List.of("/oauth2/jwks", "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            Response get = given().header("Origin", STRANGER).get(path);
            Response pre = preflight(path, STRANGER, "GET");

            assertThat(get.statusCode()).as(path).isEqualTo(200);
            assertThat(get.header("Access-Control-Allow-Origin")).as(path).isEqualTo("*");
            assertThat(pre.header("Access-Control-Allow-Origin")).as(path).isEqualTo("*");
            assertThat(get.header("Access-Control-Allow-Credentials")).as(path).isNull();
        }
    }

    @Test
    void authorizeWhenRegisteredOriginThenNeverAnswersCors() {
        Client client = registeredClient();
        String origin = originOf(client);

        Response pre = preflight("/oauth2/authorize", origin, "GET");
        Response get = given().redirects().follow(false).header("Origin", origin)
                .queryParams(Browser.authorizeParams(client.id(), client.redirectUri(), "openid", "s", Browser.newVerifier()))
                .get("/oauth2/authorize");

        assertThat(pre.header("Access-Control-Allow-Origin")).isNull();
        assertThat(get.statusCode()).isEqualTo(303);
        assertThat(get.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void loginPageWhenRegisteredOriginThenNoCors() {
        String origin = originOf(registeredClient());

        Response get = given().header("Origin", origin).get("/login");

        assertThat(get.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void tokenPostWhenAllowedOriginThenAllowOriginOnTheResponse() {
        Client client = registeredClient();
        String origin = originOf(client);
        String email = Browser.uniqueEmail("cors");
        Browser.createUser(email, Browser.PASSWORD);
        SignIn signIn = new Browser().signIn(client.id(), client.redirectUri(), "openid", email, Browser.PASSWORD);

        Response r = Browser.authenticated(client).header("Origin", origin).contentType(ContentType.URLENC)
                .formParams(Map.of("grant_type", "authorization_code", "code", signIn.code(),
                        "redirect_uri", client.redirectUri(), "code_verifier", signIn.verifier()))
                .post("/oauth2/token");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(origin);
        assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
        // and the userinfo answer to that origin too
        Response userinfo = given().header("Origin", origin).header("Authorization", "Bearer " + r.path("access_token"))
                .get("/userinfo");
        assertThat(userinfo.statusCode()).isEqualTo(200);
        assertThat(userinfo.header("Access-Control-Allow-Origin")).isEqualTo(origin);
    }

    @Test
    void tokenPostWhenAllowedOriginAndErrorThenAllowOriginSoTheAppCanReadTheError() {
        Client client = registeredClient();
        String origin = originOf(client);

        Response r = given().header("Origin", origin).contentType(ContentType.URLENC)
                .formParam("grant_type", "authorization_code").formParam("code", "nope").post("/oauth2/token");

        assertThat(r.statusCode()).isBetween(400, 401);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(origin);
    }

    @Test
    void tokenPostWhenOtherOriginThenNoAllowOrigin() {
        registeredClient();

        Response r = given().header("Origin", STRANGER).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").post("/oauth2/token");

        assertThat(r.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void preflightWhenClientDisabledThenItsOriginNoLongerAllowed() {
        Client client = registeredClient();
        String origin = originOf(client);
        assertThat(preflight("/oauth2/token", origin, "POST").header("Access-Control-Allow-Origin")).isEqualTo(origin);

        com.meltano.auth.support.Api.admin().body(Map.of("enabled", false)).patch("/admin/api/clients/" + client.id())
                .then().statusCode(200);
        origins.refresh();

        assertThat(preflight("/oauth2/token", origin, "POST").header("Access-Control-Allow-Origin")).isNull();
    }

    // ------------------------------------------------------------------ helpers

    /** A client whose redirect URI's origin is unique; the in-memory origin list is refreshed at once. */
    private Client registeredClient() {
        Client client = Browser.webClient(true);
        origins.refresh(); // the NOTIFY-driven refresh is asynchronous: do not race it
        return client;
    }

    private static String originOf(Client client) {
        URI u = URI.create(client.redirectUri());
        return u.getScheme() + "://" + u.getHost();
    }

    private static Response preflight(String path, String origin, String method) {
        return given().redirects().follow(false).header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "authorization, content-type").options(path);
    }
}
