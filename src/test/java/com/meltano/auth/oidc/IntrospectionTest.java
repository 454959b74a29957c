package com.meltano.auth.oidc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.meltano.auth.config.SigningAlgorithm;
import com.meltano.auth.keys.SigningKeys;
import com.meltano.auth.login.Browser;
import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.login.Browser.Tokens;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * RFC 7662 token introspection: metadata for an active token of ours; for anything else exactly
 * {@code {"active":false}} (section 2.2), whatever the reason; only authenticated confidential
 * clients may ask (section 2.1).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class IntrospectionTest {

    private static final String INACTIVE = "{\"active\":false}";

    @Inject
    SigningKeys keys;

    @Test
    void introspectActiveAccessTokenThenActiveWithScopeClientSubExpIss() throws Exception {
        Client client = Browser.webClient(true);
        Tokens t = RevocationTest.tokensFor(client);
        var claims = SignedJWT.parse(t.accessToken()).getJWTClaimsSet();

        Response r = introspect(client, t.accessToken(), null);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.header("Cache-Control")).contains("no-store");
        assertThat(r.jsonPath().getBoolean("active")).isTrue();
        assertThat(r.jsonPath().getString("scope")).isEqualTo("openid");
        assertThat(r.jsonPath().getString("client_id")).isEqualTo(client.id());
        assertThat(r.jsonPath().getString("sub")).isEqualTo(claims.getSubject());
        assertThat(r.jsonPath().getLong("exp")).isEqualTo(claims.getExpirationTime().getTime() / 1000);
        assertThat(r.jsonPath().getString("iss")).isEqualTo("http://localhost:8080");
        assertThat(r.jsonPath().getString("token_type")).isEqualToIgnoringCase("bearer");
    }

    @Test
    void introspectAccessTokenByAnotherConfidentialClientThenActive() {
        Client owner = Browser.webClient(true);
        Client resourceServer = Browser.webClient(true);
        Tokens t = RevocationTest.tokensFor(owner);

        Response r = introspect(resourceServer, t.accessToken(), "access_token");

        assertThat(r.jsonPath().getBoolean("active")).isTrue();
        assertThat(r.jsonPath().getString("client_id")).isEqualTo(owner.id());
    }

    @Test
    void introspectRefreshTokenThenActiveWithTokenTypeRefreshToken() {
        Client client = Browser.webClient(true);
        Tokens t = RevocationTest.tokensFor(client);

        Response hinted = introspect(client, t.refreshToken(), "refresh_token");
        Response unhinted = introspect(client, t.refreshToken(), null);

        for (Response r : List.of(hinted, unhinted)) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.jsonPath().getBoolean("active")).as(r.asString()).isTrue();
            assertThat(r.jsonPath().getString("token_type")).isEqualTo("refresh_token");
            assertThat(r.jsonPath().getString("client_id")).isEqualTo(client.id());
            assertThat(r.jsonPath().getString("scope")).isEqualTo("openid");
            assertThat(r.jsonPath().getLong("exp")).isGreaterThan(Instant.now().getEpochSecond());
        }
    }

    @Test
    void introspectUsedRefreshTokenThenExactlyInactive() {
        Client client = Browser.webClient(true);
        Tokens t = RevocationTest.tokensFor(client);
        Browser.refreshed(client, t.refreshToken());

        Response r = introspect(client, t.refreshToken(), "refresh_token");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.asString()).isEqualTo(INACTIVE);
    }

    @Test
    void introspectRevokedTokensThenExactlyInactive() {
        Client client = Browser.webClient(true);
        Tokens t = RevocationTest.tokensFor(client);
        RevocationTest.revoke(client, t.refreshToken(), "refresh_token").then().statusCode(200);

        assertThat(introspect(client, t.refreshToken(), null).asString()).isEqualTo(INACTIVE);
        assertThat(introspect(client, t.accessToken(), null).asString()).isEqualTo(INACTIVE);
    }

    @Test
    void introspectGarbageThenExactlyInactive() {
        Client client = Browser.webClient(true);

        assertThat(introspect(client, "garbage", null).asString()).isEqualTo(INACTIVE);
        assertThat(introspect(client, "a.b.c", "access_token").asString()).isEqualTo(INACTIVE);
    }

    @Test
    void introspectWhenTokenParameterMissingThenInvalidRequest() {
        Client client = Browser.webClient(true);

        Response r = Browser.authenticated(client).contentType(ContentType.URLENC).formParam("token_type_hint", "access_token")
                .post("/oauth2/introspect");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.jsonPath().getString("error")).isEqualTo("invalid_request");
    }

    @Test
    void introspectWhenAnUnrecognizedParameterIsRepeatedThenIgnored() {
        Client client = Browser.webClient(true);

        Response r = Browser.authenticated(client).contentType(ContentType.URLENC).formParam("token", "garbage")
                .formParam("resource", "https://a.example").formParam("resource", "https://b.example").post("/oauth2/introspect");

        assertThat(r.asString()).isEqualTo(INACTIVE);
    }

    @Test
    void introspectIdTokenThenExactlyInactive() {
        Client client = Browser.webClient(true);
        Tokens t = RevocationTest.tokensFor(client);

        assertThat(introspect(client, t.idToken(), null).asString()).isEqualTo(INACTIVE);
    }

    @Test
    void introspectExpiredAccessTokenThenExactlyInactive() throws Exception {
        Client client = Browser.webClient(true);
        Tokens t = RevocationTest.tokensFor(client);
        // the same claims, signed by the server's own key, but expired an hour ago
        Map<String, Object> claims = new LinkedHashMap<>(SignedJWT.parse(t.accessToken()).getJWTClaimsSet().toJSONObject());
        long now = Instant.now().getEpochSecond();
        claims.put("iat", now - 7200);
        claims.put("exp", now - 3600);
        String expired = keys.active(SigningAlgorithm.RS256).sign("at+jwt", new ObjectMapper().writeValueAsBytes(claims));
        // the re-signed but unexpired twin is active: only the expiry differs
        claims.put("exp", now + 300);
        String fresh = keys.active(SigningAlgorithm.RS256).sign("at+jwt", new ObjectMapper().writeValueAsBytes(claims));
        assertThat(introspect(client, fresh, null).jsonPath().getBoolean("active")).isTrue();

        Response r = introspect(client, expired, null);

        assertThat(r.asString()).isEqualTo(INACTIVE);
    }

    @Test
    void introspectClientCredentialsTokenThenActiveWithClientAsSubject() {
        Map<String, String> service = Api.createServiceClient(List.of(), false);
        String token = Api.token(service.get("client_id"), service.get("client_secret"), null);
        Client client = Browser.webClient(true);

        Response r = introspect(client, token, null);

        assertThat(r.jsonPath().getBoolean("active")).isTrue();
        assertThat(r.jsonPath().getString("sub")).isEqualTo(service.get("client_id"));
    }

    @Test
    void introspectWhenPublicClientThenInvalidClient() {
        Client publicClient = Browser.registerClient(Map.of("first_party", true, "token_endpoint_auth_method", "none"));
        Client owner = Browser.webClient(true);
        Tokens t = RevocationTest.tokensFor(owner);

        Response r = introspect(publicClient, t.accessToken(), null);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat((String) r.path("error")).isEqualTo("invalid_client");
        assertThat(r.asString()).doesNotContain("\"active\"");
    }

    @Test
    void introspectWhenNoClientAuthenticationThenUnauthorized() {
        Client owner = Browser.webClient(true);
        Tokens t = RevocationTest.tokensFor(owner);

        Response r = given().contentType(ContentType.URLENC).formParam("token", t.accessToken()).post("/oauth2/introspect");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat((String) r.path("error")).isEqualTo("invalid_client");
        assertThat(r.asString()).doesNotContain("\"active\"");
    }

    @Test
    void introspectionWhenDiscoveredThenAnnounced() {
        assertThat((String) given().get("/.well-known/openid-configuration").path("introspection_endpoint"))
                .isEqualTo("http://localhost:8080/oauth2/introspect");
    }

    static Response introspect(Client client, String token, String hint) {
        var r = Browser.authenticated(client).contentType(ContentType.URLENC).formParam("token", token);
        if (hint != null) {
            r = r.formParam("token_type_hint", hint);
        }
        return r.post("/oauth2/introspect");
    }
}
