package com.meltano.auth.oidc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.login.Browser.Tokens;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The userinfo endpoint (OIDC Core 5.3, RFC 6750): GET and POST, the token in the header or the
 * form body but not both; {@code sub} is the user id, email claims only with the {@code email}
 * scope; bearer errors with their {@code WWW-Authenticate} challenge.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class UserinfoTest {

    @Test
    void userinfoGetWhenEmailScopeThenSubEmailAndEmailVerified() {
        User u = signedIn("openid email");

        Response r = given().header("Authorization", "Bearer " + u.tokens.accessToken()).get("/userinfo");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.header("Cache-Control")).contains("no-store");
        assertThat(r.jsonPath().getString("sub")).isEqualTo(u.id);
        assertThat(r.jsonPath().getString("email")).isEqualTo(u.email);
        assertThat(r.jsonPath().getBoolean("email_verified")).isFalse();
    }

    @Test
    void userinfoWhenNoEmailScopeThenOnlySub() {
        User u = signedIn("openid");

        Response r = given().header("Authorization", "Bearer " + u.tokens.accessToken()).get("/userinfo");

        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> claims = r.jsonPath().getMap("");
        assertThat(claims).containsEntry("sub", u.id).doesNotContainKeys("email", "email_verified");
    }

    @Test
    void userinfoWhenEmailVerifiedByAdminThenTrue() {
        User u = signedIn("openid email");
        Browser.patchUser(u.id, Map.of("email_verified", true));

        Response r = given().header("Authorization", "Bearer " + u.tokens.accessToken()).get("/userinfo");

        assertThat(r.jsonPath().getBoolean("email_verified")).isTrue();
    }

    @Test
    void userinfoPostWhenTokenInHeaderThenClaims() {
        User u = signedIn("openid email");

        Response r = given().header("Authorization", "Bearer " + u.tokens.accessToken()).contentType(ContentType.URLENC)
                .post("/userinfo");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("sub")).isEqualTo(u.id);
        assertThat(r.jsonPath().getString("email")).isEqualTo(u.email);
    }

    @Test
    void userinfoPostWhenTokenInFormBodyThenClaims() {
        User u = signedIn("openid email");

        Response r = given().contentType(ContentType.URLENC).formParam("access_token", u.tokens.accessToken()).post("/userinfo");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("sub")).isEqualTo(u.id);
    }

    @Test
    void userinfoPostWhenTokenInHeaderAndBodyThenInvalidRequest() {
        User u = signedIn("openid");

        Response r = given().header("Authorization", "Bearer " + u.tokens.accessToken()).contentType(ContentType.URLENC)
                .formParam("access_token", u.tokens.accessToken()).post("/userinfo");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat((String) r.path("error")).isEqualTo("invalid_request");
    }

    @Test
    void userinfoWhenNoTokenThenUnauthorizedWithBearerChallenge() {
        Response get = given().get("/userinfo");
        Response post = given().contentType(ContentType.URLENC).post("/userinfo");

        for (Response r : List.of(get, post)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
            // RFC 6750 section 3.1: no error code when the request carried no authentication at all
            assertThat(r.header("WWW-Authenticate")).doesNotContain("error=");
        }
    }

    @Test
    void userinfoWhenGarbageTokenThenInvalidToken() {
        Response r = given().header("Authorization", "Bearer not.a.token").get("/userinfo");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer").contains("error=\"invalid_token\"");
        assertThat((String) r.path("error")).isEqualTo("invalid_token");
    }

    @Test
    void userinfoWhenIdTokenInsteadOfAccessTokenThenInvalidToken() {
        User u = signedIn("openid");

        Response r = given().header("Authorization", "Bearer " + u.tokens.idToken()).get("/userinfo");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void userinfoWhenClientCredentialsTokenThenInsufficientScope() {
        Map<String, String> service = Api.createServiceClient(List.of(), false);
        String token = Api.token(service.get("client_id"), service.get("client_secret"), null);

        Response r = given().header("Authorization", "Bearer " + token).get("/userinfo");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer").contains("error=\"insufficient_scope\"");
        assertThat((String) r.path("error")).isEqualTo("insufficient_scope");
    }

    @Test
    void userinfoWhenUserTokenWithoutOpenidThenInsufficientScope() {
        User u = signedIn("email");

        Response r = given().header("Authorization", "Bearer " + u.tokens.accessToken()).get("/userinfo");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.header("WWW-Authenticate")).contains("insufficient_scope");
    }

    @Test
    void userinfoWhenUserDisabledThenInvalidToken() {
        User u = signedIn("openid email");
        assertThat(Browser.userinfoStatus(u.tokens.accessToken())).isEqualTo(200);

        Browser.patchUser(u.id, Map.of("enabled", false));

        Response r = given().header("Authorization", "Bearer " + u.tokens.accessToken()).get("/userinfo");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void userinfoWhenDiscoveredThenAnnouncedAtItsPath() {
        Response d = given().get("/.well-known/openid-configuration");

        assertThat((String) d.path("userinfo_endpoint")).isEqualTo("http://localhost:8080/userinfo");
    }

    // ------------------------------------------------------------------ helpers

    private record User(String id, String email, Tokens tokens) {
    }

    private static User signedIn(String scope) {
        Client client = Browser.webClient(true);
        String email = Browser.uniqueEmail("userinfo");
        String id = Browser.createUser(email, Browser.PASSWORD);
        Browser.SignIn signIn = new Browser().signIn(client.id(), client.redirectUri(), scope, email, Browser.PASSWORD);
        return new User(id, email, Browser.exchange(client, signIn));
    }
}
