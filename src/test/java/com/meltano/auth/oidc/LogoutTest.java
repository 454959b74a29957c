package com.meltano.auth.oidc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.meltano.auth.config.SigningAlgorithm;
import com.meltano.auth.keys.SigningKeys;
import com.meltano.auth.login.Browser;
import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.login.Browser.SignIn;
import com.meltano.auth.login.Browser.Tokens;
import com.meltano.auth.support.PostgresTestResource;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.response.Response;

/**
 * OpenID Connect RP-Initiated Logout 1.0: an {@code id_token_hint} of ours that matches the
 * session signs out at once and returns to the registered {@code post_logout_redirect_uri} with
 * {@code state}; anything else asks the person first (a CSRF-protected POST). Signing out revokes
 * the session's grants except {@code offline_access} ones. Unregistered return addresses and
 * hints that do not fit are refused with a page, never redirected.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class LogoutTest {

    @Inject
    SigningKeys keys;

    @Test
    void logoutWhenHintMatchesSessionThenRedirectWithStateCookieClearedAndOnlyNonOfflineGrantRevoked() {
        Person p = person("match");
        SignIn offline = p.browser.signIn(p.client.id(), p.client.redirectUri(), "openid offline_access", null, null);
        assertThat(offline.session()).as("the second authorization reuses the session").isEqualTo(p.session);
        Tokens offlineTokens = Browser.exchange(p.client, offline);

        Response r = p.browser.get("/logout", Map.of("id_token_hint", p.tokens.idToken(),
                "post_logout_redirect_uri", p.client.postLogoutRedirectUri(), "state", "bye-state"));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        String location = r.header("Location");
        assertThat(location).startsWith(p.client.postLogoutRedirectUri() + "?");
        assertThat(Browser.query(location)).containsEntry("state", "bye-state");
        assertSessionCookieCleared(r);
        assertThat(p.browser.cookie(Browser.SESSION)).isNull();
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).as("the session is over").isEqualTo(303);
        Response dead = Browser.refresh(p.client, p.tokens.refreshToken());
        assertThat(dead.statusCode()).isEqualTo(400);
        assertThat((String) dead.path("error")).isEqualTo("invalid_grant");
        assertThat(Browser.userinfoStatus(p.tokens.accessToken())).isEqualTo(401);
        Tokens survived = Browser.refreshed(p.client, offlineTokens.refreshToken());
        assertThat(Browser.userinfoStatus(survived.accessToken())).as("offline_access outlives the session").isEqualTo(200);
    }

    @Test
    void logoutWhenHintMatchesAndNoRedirectUriThenSignedOutPage() {
        Person p = person("noredirect");

        Response r = p.browser.get("/logout", Map.of("id_token_hint", p.tokens.idToken()));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("Location")).isNull();
        assertSessionCookieCleared(r);
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).isEqualTo(303);
    }

    @Test
    void logoutWhenHintOfAnotherUserThenConfirmationPageAndStillSignedIn() {
        Person p = person("confirm");
        Person stranger = person("stranger", p.client);

        Response r = p.browser.get("/logout", Map.of("id_token_hint", stranger.tokens.idToken(),
                "post_logout_redirect_uri", p.client.postLogoutRedirectUri(), "state", "s1"));

        assertConfirmationPage(r);
        assertThat(p.browser.get("/account").statusCode()).as("nobody signed out yet").isEqualTo(200);
        assertThat(Browser.withSession(stranger.session).get("/account").statusCode()).isEqualTo(200);
        assertThat(Browser.refresh(p.client, p.tokens.refreshToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void logoutWhenHintOfSameUserButAnotherSessionThenConfirmationPage() {
        Person p = person("othersession");
        Browser second = new Browser();
        SignIn secondSignIn = second.signIn(p.client.id(), p.client.redirectUri(), "openid", p.email, Browser.PASSWORD);
        Tokens secondTokens = Browser.exchange(p.client, secondSignIn);

        Response r = p.browser.get("/logout", Map.of("id_token_hint", secondTokens.idToken()));

        assertConfirmationPage(r);
        assertThat(p.browser.get("/account").statusCode()).isEqualTo(200);
        assertThat(second.get("/account").statusCode()).isEqualTo(200);
    }

    @Test
    void logoutWhenNoHintThenConfirmationPage() {
        Person p = person("nohint");

        Response r = p.browser.get("/logout", Map.of("client_id", p.client.id(),
                "post_logout_redirect_uri", p.client.postLogoutRedirectUri()));

        assertConfirmationPage(r);
        assertThat(p.browser.get("/account").statusCode()).isEqualTo(200);
    }

    @Test
    void logoutConfirmPostWithCsrfThenSignedOutAndRedirected() {
        Person p = person("post");
        Person stranger = person("post-stranger", p.client);
        Response page = p.browser.get("/logout", Map.of("id_token_hint", stranger.tokens.idToken(),
                "post_logout_redirect_uri", p.client.postLogoutRedirectUri(), "state", "confirmed-state"));
        Element form = assertConfirmationPage(page);

        Map<String, String> fields = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            fields.put(input.attr("name"), input.attr("value"));
        }
        Element button = form.selectFirst("button[name]");
        if (button != null) {
            fields.put(button.attr("name"), button.attr("value"));
        }
        Response r = p.browser.post("/logout", fields);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        assertThat(r.header("Location")).startsWith(p.client.postLogoutRedirectUri());
        assertThat(Browser.query(r.header("Location"))).containsEntry("state", "confirmed-state");
        assertSessionCookieCleared(r);
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).isEqualTo(303);
        assertThat(Browser.refresh(p.client, p.tokens.refreshToken()).statusCode()).isEqualTo(400);
        // the stranger whose ID token was used is not affected
        assertThat(Browser.withSession(stranger.session).get("/account").statusCode()).isEqualTo(200);
    }

    @Test
    void logoutConfirmPostWithWrongCsrfThenNotSignedOut() {
        Person p = person("forged");

        Response r = p.browser.post("/logout", Map.of("csrf", "forged-" + UUID.randomUUID(), "confirm", "yes",
                "client_id", p.client.id(), "post_logout_redirect_uri", p.client.postLogoutRedirectUri()));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.header("Location")).doesNotStartWith(p.client.postLogoutRedirectUri());
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).isEqualTo(200);
        assertThat(Browser.refresh(p.client, p.tokens.refreshToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void logoutConfirmPostWithoutCsrfThenNotSignedOut() {
        Person p = person("nocsrf");

        Response r = p.browser.post("/logout", Map.of("confirm", "yes"));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).isEqualTo(200);
    }

    @Test
    void logoutFromAccountPageFormThenSignedOut() {
        Person p = person("accountform");
        String csrf = p.browser.csrfOf("/account");

        Response r = p.browser.post("/logout", Map.of("csrf", csrf, "confirm", "yes"));

        assertThat(r.statusCode()).isIn(200, 303);
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).isEqualTo(303);
    }

    @Test
    void logoutWhenPostLogoutRedirectUriUnregisteredThenBadRequestPageAndNoRedirect() {
        Person p = person("unregistered");

        Response r = p.browser.get("/logout", Map.of("id_token_hint", p.tokens.idToken(),
                "post_logout_redirect_uri", "https://evil.example/after", "state", "x"));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.header("Location")).isNull();
        assertThat(r.asString()).doesNotContain("https://evil.example/after");
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).as("not signed out").isEqualTo(200);
    }

    @Test
    void logoutWhenRedirectUriIsTheLoginRedirectNotAPostLogoutOneThenBadRequestPage() {
        Person p = person("loginuri");

        Response r = p.browser.get("/logout", Map.of("id_token_hint", p.tokens.idToken(),
                "post_logout_redirect_uri", p.client.redirectUri()));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.header("Location")).isNull();
    }

    @Test
    void logoutWhenClientIdDiffersFromHintAudienceThenBadRequestPage() {
        Person p = person("otheraud");
        Client other = Browser.webClient(true);

        Response r = p.browser.get("/logout", Map.of("id_token_hint", p.tokens.idToken(), "client_id", other.id(),
                "post_logout_redirect_uri", other.postLogoutRedirectUri()));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.header("Location")).isNull();
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).isEqualTo(200);
    }

    @Test
    void logoutWhenHintExpiredSecondsAgoThenConfirmationPageForItsClientAndStillSignedIn() throws Exception {
        Person p = person("expired");
        Map<String, Object> claims = claimsOf(p.tokens.idToken());
        long now = Instant.now().getEpochSecond();
        claims.put("iat", now - 600);
        claims.put("exp", now - 1);
        String expiredHint = sign(claims);

        Response r = p.browser.get("/logout", Map.of("id_token_hint", expiredHint,
                "post_logout_redirect_uri", p.client.postLogoutRedirectUri(), "state", "late"));

        Element form = assertConfirmationPage(r);
        assertThat(form.select("input[name=post_logout_redirect_uri]").attr("value"))
                .as("the expired hint still names its client").isEqualTo(p.client.postLogoutRedirectUri());
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).as("not signed out silently").isEqualTo(200);
    }

    @Test
    void logoutWhenSameHintUnexpiredThenSignedOutWithoutConfirmation() throws Exception {
        Person p = person("unexpired");
        Map<String, Object> claims = claimsOf(p.tokens.idToken());
        claims.put("exp", Instant.now().getEpochSecond() + 60);

        Response r = p.browser.get("/logout", Map.of("id_token_hint", sign(claims),
                "post_logout_redirect_uri", p.client.postLogoutRedirectUri(), "state", "late"));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        assertThat(r.header("Location")).startsWith(p.client.postLogoutRedirectUri());
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).isEqualTo(303);
    }

    @Test
    void logoutWhenHintHasAnotherIssuerThenBadRequestPage() throws Exception {
        Person p = person("wrongiss");
        Map<String, Object> claims = claimsOf(p.tokens.idToken());
        claims.put("iss", "https://other-issuer.example");
        String foreignHint = sign(claims);

        Response r = p.browser.get("/logout", Map.of("id_token_hint", foreignHint,
                "post_logout_redirect_uri", p.client.postLogoutRedirectUri()));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.header("Location")).isNull();
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).isEqualTo(200);
    }

    @Test
    void logoutWhenHintSignatureAlteredThenBadRequestPage() {
        Person p = person("tampered");
        String hint = p.tokens.idToken();
        String tampered = hint.substring(0, hint.length() - 4) + (hint.endsWith("AAAA") ? "BBBB" : "AAAA");

        Response r = p.browser.get("/logout", Map.of("id_token_hint", tampered,
                "post_logout_redirect_uri", p.client.postLogoutRedirectUri()));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.header("Location")).isNull();
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).isEqualTo(200);
    }

    @Test
    void logoutWhenNoSessionAndValidHintThenRedirectedWithoutConfirmation() {
        Person p = person("nosession");

        Response r = new Browser().get("/logout", Map.of("id_token_hint", p.tokens.idToken(),
                "post_logout_redirect_uri", p.client.postLogoutRedirectUri(), "state", "s"));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.header("Location")).startsWith(p.client.postLogoutRedirectUri());
        assertThat(Browser.withSession(p.session).get("/account").statusCode()).as("someone else's session untouched")
                .isEqualTo(200);
    }

    @Test
    void endSessionEndpointWhenDiscoveredThenAnnounced() {
        assertThat((String) given().get("/.well-known/openid-configuration").path("end_session_endpoint"))
                .isEqualTo("http://localhost:8080/logout");
    }

    // ------------------------------------------------------------------ helpers

    private record Person(String email, Client client, Browser browser, String session, Tokens tokens) {
    }

    private static Person person(String label) {
        return person(label, Browser.webClient(true));
    }

    private static Person person(String label, Client client) {
        String email = Browser.uniqueEmail(label);
        Browser.createUser(email, Browser.PASSWORD);
        Browser browser = new Browser();
        SignIn signIn = browser.signIn(client.id(), client.redirectUri(), "openid", email, Browser.PASSWORD);
        Tokens tokens = Browser.exchange(client, signIn);
        assertThat(tokens.idToken()).isNotBlank();
        assertThat(tokens.refreshToken()).isNotBlank();
        return new Person(email, client, browser, signIn.session(), tokens);
    }

    private static Element assertConfirmationPage(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        Document page = Browser.html(r);
        Element form = page.selectFirst("form[action=/logout]");
        assertThat(form).as("a form posting to /logout").isNotNull();
        assertThat(form.attr("method")).isEqualToIgnoringCase("post");
        assertThat(form.select("input[name=csrf]").attr("value")).isNotBlank();
        return form;
    }

    private static void assertSessionCookieCleared(Response r) {
        Cookie c = r.getDetailedCookie(Browser.SESSION);
        assertThat(c).as("Set-Cookie %s", Browser.SESSION).isNotNull();
        assertThat(c.getValue() == null || c.getValue().isEmpty() || c.getMaxAge() == 0).as(c.toString()).isTrue();
        assertThat(r.header("Clear-Site-Data")).as("the back button brings no signed-in page back from the cache")
                .isEqualTo("\"cache\"");
    }

    private static Map<String, Object> claimsOf(String jwt) throws Exception {
        return new LinkedHashMap<>(SignedJWT.parse(jwt).getJWTClaimsSet().toJSONObject());
    }

    /** An ID-token-shaped hint signed by the server's own RS256 key (what only this server can make). */
    private String sign(Map<String, Object> claims) throws Exception {
        return keys.active(SigningAlgorithm.RS256).sign("JWT", new ObjectMapper().writeValueAsBytes(claims));
    }
}
