package com.meltano.auth.oauth2.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.meltano.auth.oauth2.token.TokenFixtures.Client;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;
import com.meltano.auth.support.TestData;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The access token as a downstream service sees it (RFC 9068; SPEC section 7), checked with an
 * independent verifier against the published JWKS and discovery document (RFC 8414).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TokenClaimsTest {

    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");

    @TestHTTPResource("/oauth2/jwks")
    URL jwks;

    @Test
    void tokenWhenVerifiedIndependentlyThenIssuerAudienceLifetimeAndKidAsPublished() throws Exception {
        String issuer = discovery().path("issuer");
        Client c = TokenFixtures.serviceClient();

        String token = Api.token(c.id(), c.secret(), null);

        JWTClaimsSet claims = IndependentVerifier.processor(jwks, JWSAlgorithm.RS256, issuer).process(token, null);
        assertThat(claims.getIssuer()).isEqualTo(issuer);
        assertThat(claims.getSubject()).isEqualTo(c.id());
        assertThat(claims.getStringClaim("client_id")).isEqualTo(c.id());
        assertThat(claims.getAudience()).containsExactly("meltano");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(600_000L);
        assertThat(claims.getExpirationTime()).isAfter(new Date());
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        String payload = jwt.getPayload().toString();
        assertThat(payload).as("aud is a JSON array, not a string").contains("\"aud\":[\"meltano\"]");
        assertThat(payload).as("no personal data and no auth_time without a user").doesNotContain("auth_time", "email");
        JWKSet published = JWKSet.parse(given().get("/oauth2/jwks").asString());
        assertThat(published.getKeyByKeyId(jwt.getHeader().getKeyID())).as("kid in the JWKS").isNotNull();
    }

    @Test
    void tokenWhenIssuedTwiceThenJtiUnique() throws Exception {
        Client c = TokenFixtures.serviceClient();

        String first = Api.token(c.id(), c.secret(), null);
        String second = Api.token(c.id(), c.secret(), null);

        String jti1 = SignedJWT.parse(first).getJWTClaimsSet().getJWTID();
        String jti2 = SignedJWT.parse(second).getJWTClaimsSet().getJWTID();
        assertThat(jti1).isNotBlank();
        assertThat(jti2).isNotBlank().isNotEqualTo(jti1);
    }

    @Test
    void jwksWhenFetchedThenPublicSigningKeysOnlyAndShortCache() throws Exception {
        Response r = given().get("/oauth2/jwks");

        assertThat(r.statusCode()).isEqualTo(200);
        Matcher maxAge = MAX_AGE.matcher(String.valueOf(r.header("Cache-Control")));
        assertThat(maxAge.find()).as("Cache-Control %s has max-age", r.header("Cache-Control")).isTrue();
        assertThat(Integer.parseInt(maxAge.group(1))).isBetween(0, 300);
        List<Map<String, Object>> keys = r.jsonPath().getList("keys");
        assertThat(keys).isNotEmpty();
        for (Map<String, Object> key : keys) {
            assertThat(key).as("public JWK %s", key.get("kid")).containsKeys("kty", "kid", "alg", "use");
            assertThat(key.get("use")).isEqualTo("sig");
            assertThat(key).as("no private members").doesNotContainKeys("d", "p", "q", "dp", "dq", "qi", "oth", "k");
        }
        JWKSet set = JWKSet.parse(r.asString());
        assertThat(set.getKeys()).noneMatch(JWK::isPrivate);
        assertThat(set.getKeys()).anyMatch(k -> JWSAlgorithm.RS256.equals(k.getAlgorithm()));
    }

    @Test
    void jwksWhenAskedForJsonOrHeadOrOtherMethodsThenMediaTypeAndStatusAsHttpSays() throws Exception {
        Response plain = given().header("Accept", "*/*").get("/oauth2/jwks");
        Response json = given().header("Accept", "application/json").get("/oauth2/jwks");
        Response preferred = given().header("Accept", "application/json;q=0.5, application/jwk-set+json").get("/oauth2/jwks");
        Response head = given().head("/oauth2/jwks");

        assertThat(plain.contentType()).isEqualTo("application/jwk-set+json");
        assertThat(preferred.contentType()).isEqualTo("application/jwk-set+json");
        assertThat(json.contentType()).isEqualTo("application/json");
        assertThat(json.asString()).isEqualTo(plain.asString());
        assertThat(JWKSet.parse(json.asString()).getKeys()).isNotEmpty();
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(plain.asByteArray().length));
        assertThat(head.asByteArray()).isEmpty();
        Response html = given().header("Accept", "text/html").get("/oauth2/jwks");
        assertThat(html.statusCode()).isEqualTo(406);
        assertThat(html.jsonPath().getString("error")).isEqualTo("invalid_request");
        Response post = given().contentType("application/json").body("{}").post("/oauth2/jwks");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(post.jsonPath().getString("error_description")).isEqualTo("method not allowed");
        assertThat(given().delete("/oauth2/jwks").statusCode()).isEqualTo(405);
    }

    @Test
    void discoveryWhenFetchedAtBothWellKnownPathsThenIdenticalAndEndpointsUnderIssuer() {
        Response oidc = given().get("/.well-known/openid-configuration");
        Response oauth = given().get("/.well-known/oauth-authorization-server");

        assertThat(oidc.statusCode()).isEqualTo(200);
        assertThat(oauth.statusCode()).isEqualTo(200);
        assertThat(oauth.jsonPath().getMap("")).isEqualTo(oidc.jsonPath().getMap(""));
        String issuer = oidc.path("issuer");
        assertThat(issuer).isEqualTo("http://localhost:8080");
        assertThat((String) oidc.path("token_endpoint")).startsWith(issuer).isEqualTo(issuer + "/oauth2/token");
        assertThat((String) oidc.path("jwks_uri")).startsWith(issuer).isEqualTo(issuer + "/oauth2/jwks");
    }

    @Test
    void tokenWhenClientHoldsTwoRolesThenRolesSortedAndPermissionsMergedPerSpec() throws Exception {
        String roleA = TokenFixtures.unique("a-claims-");
        String roleB = TokenFixtures.unique("b-claims-");
        createRole(roleB, List.of(List.of("view:design", "finance.*"), List.of("*", "public.*")));
        createRole(roleA, List.of(List.of("view:design", "finance.*"), List.of("view:design", "marketing.*"),
                List.of("view:reports", "*"), List.of("view:reports", "x.y")));
        Map<String, String> c = Api.createServiceClient(List.of(roleB, roleA), false);

        String token = Api.token(c.get("client_id"), c.get("client_secret"), null);

        JWTClaimsSet claims = IndependentVerifier.processor(jwks, JWSAlgorithm.RS256, "http://localhost:8080").process(token, null);
        assertThat(claims.getStringListClaim("roles")).containsExactly(roleA, roleB);
        assertThat(claims.getJSONObjectClaim("permissions")).isEqualTo(Map.of(
                "*", List.of("public.*"),
                "view:design", List.of("finance.*", "marketing.*"),
                "view:reports", List.of("*")));
        String payload = SignedJWT.parse(token).getPayload().toString();
        assertThat(payload).as("keys and lists sorted by code point in the raw JSON").contains(
                "\"permissions\":{\"*\":[\"public.*\"],\"view:design\":[\"finance.*\",\"marketing.*\"],\"view:reports\":[\"*\"]}");
        assertThat(payload).contains("\"roles\":[\"" + roleA + "\",\"" + roleB + "\"]");
    }

    @Test
    void tokenWhenBootstrapAdminClientThenAdminScope() throws Exception {
        Response r = given().header("Authorization", TokenFixtures.basic(TestData.ADMIN_CLIENT_ID, TestData.ADMIN_CLIENT_SECRET))
                .formParam("grant_type", "client_credentials").post("/oauth2/token");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat((String) r.path("scope")).isEqualTo("admin");
        JWTClaimsSet claims = IndependentVerifier.processor(jwks, JWSAlgorithm.RS256, "http://localhost:8080")
                .process((String) r.path("access_token"), null);
        assertThat(claims.getStringClaim("scope")).isEqualTo("admin");
        assertThat(claims.getSubject()).isEqualTo(TestData.ADMIN_CLIENT_ID);
        assertThat(claims.getStringListClaim("roles")).contains("admin");
    }

    private static Response discovery() {
        return given().get("/.well-known/openid-configuration").then().statusCode(200).extract().response();
    }

    private static void createRole(String name, List<List<String>> permissions) {
        Api.admin().body(Map.of("name", name)).post("/admin/api/roles").then().statusCode(201);
        for (List<String> p : permissions) {
            Api.admin().body(Map.of("type", p.get(0), "context", p.get(1)))
                    .post("/admin/api/roles/" + name + "/permissions").then().statusCode(201);
        }
    }
}
