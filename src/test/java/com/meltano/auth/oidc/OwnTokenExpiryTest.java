package com.meltano.auth.oidc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.meltano.auth.keys.SigningKeys;
import com.meltano.auth.login.Browser;
import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.login.Browser.Tokens;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * SPEC section 4: the server's own tokens are inactive from their {@code exp} on, with no grace
 * period, at introspection, userinfo and the admin API. The tokens are real ones of this server
 * (a real grant, the server's own signing key in this JVM) with only {@code exp} moved; the same
 * token with {@code exp} a minute ahead is accepted, so the refusals are about expiry alone.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class OwnTokenExpiryTest {

    @Inject
    SigningKeys keys;

    @Test
    void introspectWhenExpPassedBySecondsThenInactive() throws Exception {
        Client client = Browser.webClient(true);
        Tokens t = RevocationTest.tokensFor(client);

        String live = withExp(t.accessToken(), 60);
        String expired = withExp(t.accessToken(), -1);

        assertThat(IntrospectionTest.introspect(client, live, null).jsonPath().getBoolean("active")).isTrue();
        assertThat(IntrospectionTest.introspect(client, expired, null).asString()).isEqualTo("{\"active\":false}");
    }

    @Test
    void userinfoWhenExpPassedBySecondsThenUnauthorized() throws Exception {
        Tokens t = RevocationTest.tokensFor(Browser.webClient(true));

        given().header("Authorization", "Bearer " + withExp(t.accessToken(), 60)).get("/userinfo").then().statusCode(200);
        given().header("Authorization", "Bearer " + withExp(t.accessToken(), -1)).get("/userinfo").then().statusCode(401);
    }

    @Test
    void adminApiWhenExpPassedBySecondsThenUnauthorized() throws Exception {
        String admin = Api.adminToken();

        given().header("Authorization", "Bearer " + withExp(admin, 60)).get("/admin/api/roles").then().statusCode(200);
        given().header("Authorization", "Bearer " + withExp(admin, -1)).get("/admin/api/roles").then().statusCode(401);
    }

    @Test
    void adminApiWhenExpIsThisSecondThenUnauthorized() throws Exception {
        String admin = Api.adminToken();
        // exp is the first second at which the token is no longer valid (RFC 7519 section 4.1.4)
        given().header("Authorization", "Bearer " + withExp(admin, 0)).get("/admin/api/roles").then().statusCode(401);
    }

    /** The token re-signed by the server's own access token key with {@code exp} = now + {@code seconds}. */
    private String withExp(String token, long seconds) throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>(SignedJWT.parse(token).getJWTClaimsSet().toJSONObject());
        long now = Instant.now().getEpochSecond();
        claims.put("iat", now - 600);
        claims.put("exp", now + seconds);
        return keys.accessTokenKey().sign("at+jwt", new ObjectMapper().writeValueAsBytes(claims));
    }
}
