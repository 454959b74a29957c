package com.meltano.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.login.Browser.Tokens;
import com.meltano.auth.session.BrowserSubjects;
import com.meltano.auth.support.PostgresTestResource;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * {@code MELTANO_AUTHENTICATION=false} (SPEC section 6): every valid authorization request is
 * completed as the built-in admin without a login or consent page; PKCE and redirect URI checks
 * are unchanged. The mode needs a loopback listen address, hence the profile (its own server).
 */
@QuarkusTest
@TestProfile(AuthenticationOffTest.AuthenticationOff.class)
@QuarkusTestResource(PostgresTestResource.class)
class AuthenticationOffTest {

    public static class AuthenticationOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meltano.authentication", "false", "quarkus.http.host", "127.0.0.1");
        }
    }

    @Test
    void authorizeWhenAuthenticationOffThenCodeWithoutLoginAndTokensAreTheBuiltInAdmins() throws Exception {
        Client client = Browser.webClient(true);
        Browser browser = new Browser();
        String verifier = Browser.newVerifier();

        Response r = browser.authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid email", "off-state",
                verifier));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        assertThat(r.header("Location")).as("straight to the client").startsWith(client.redirectUri() + "?");
        Map<String, String> q = Browser.query(r.header("Location"));
        assertThat(q.get("state")).isEqualTo("off-state");
        Tokens tokens = Browser.exchange(client, q.get("code"), client.redirectUri(), verifier);
        List<Map<String, Object>> admins = Browser.usersWithEmail(BrowserSubjects.BUILT_IN_ADMIN_EMAIL);
        assertThat(admins).hasSize(1);
        @SuppressWarnings("unchecked")
        List<String> roles = (List<String>) admins.get(0).get("roles");
        assertThat(roles).contains("admin");
        var claims = SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(admins.get(0).get("id"));
        assertThat(claims.getStringListClaim("roles")).contains("admin");
        assertThat(SignedJWT.parse(tokens.idToken()).getJWTClaimsSet().getSubject()).isEqualTo(admins.get(0).get("id"));
    }

    @Test
    void authorizeWhenAuthenticationOffAndThirdPartyClientThenNoConsentPageEither() {
        Client client = Browser.webClient(false);
        Browser browser = new Browser();
        String verifier = Browser.newVerifier();

        Response r = browser.authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid", "tp-state", verifier));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        assertThat(r.header("Location")).as("SPEC 6: no login or consent page, for any client").startsWith(client.redirectUri() + "?");
        assertThat(Browser.query(r.header("Location"))).containsKey("code");
    }

    @Test
    void authorizeWhenAuthenticationOffAndPromptLoginThenStillNoLoginPage() {
        Client client = Browser.webClient(true);
        Map<String, String> params = Browser.authorizeParams(client.id(), client.redirectUri(), "openid", "pl", Browser.newVerifier());
        params.put("prompt", "login");

        Response r = new Browser().authorize(params);

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.header("Location")).as("SPEC 6: every valid request completes without a login page")
                .startsWith(client.redirectUri() + "?");
    }

    @Test
    void authorizeWhenAuthenticationOffAndRedirectUriUnregisteredThenErrorPage() {
        Client client = Browser.webClient(true);

        Response r = new Browser().authorize(Browser.authorizeParams(client.id(), "https://evil.example/cb", "openid", "s",
                Browser.newVerifier()));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.header("Location")).isNull();
    }

    @Test
    void tokenWhenAuthenticationOffAndWrongVerifierThenInvalidGrant() {
        Client client = Browser.webClient(true);
        Response r = new Browser().authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid", "s",
                Browser.newVerifier()));
        String code = Browser.query(r.header("Location")).get("code");

        Response token = Browser.exchangeResponse(client, code, client.redirectUri(), Browser.newVerifier());

        assertThat(token.statusCode()).isEqualTo(400);
        assertThat((String) token.path("error")).isEqualTo("invalid_grant");
    }

    @Test
    void authorizeWhenAuthenticationOffAndPublicClientWithoutPkceThenErrorAtTheClient() {
        Client client = Browser.registerClient(Map.of("first_party", true, "token_endpoint_auth_method", "none"));

        Response r = new Browser().authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid", "nopkce", null));

        assertThat(r.statusCode()).isEqualTo(303);
        Map<String, String> q = Browser.query(r.header("Location"));
        assertThat(q).containsEntry("error", "invalid_request").doesNotContainKey("code");
        assertThat(q.get("state")).isEqualTo("nopkce");
    }

    @Test
    void adminConsoleWhenAuthenticationOffThenPlainPageSayingSignInIsOff() {
        Response r = new Browser().get("/admin/roles");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.asString()).contains("The admin console needs sign-in").contains("MELTANO_AUTHENTICATION=false");
    }

    @Test
    void signInAndAccountPagesWhenAuthenticationOffThenEndOnAPlainPageSayingSignInIsOffNotARedirectLoop() {
        for (String start : List.of("/login", "/account", "/register")) {
            Browser browser = new Browser();
            Response r = browser.get(start);
            List<String> visited = new java.util.ArrayList<>(List.of(start));
            while (r.statusCode() == 303 && visited.size() < 5) {
                String next = Browser.ourPath(r.header("Location"));
                visited.add(next);
                r = browser.get(next);
            }

            assertThat(r.statusCode()).as("%s, through %s", start, visited).isEqualTo(403);
            assertThat(r.contentType()).startsWith("text/html");
            assertThat(r.asString()).contains("needs sign-in").contains("MELTANO_AUTHENTICATION=false");
        }
    }
}
