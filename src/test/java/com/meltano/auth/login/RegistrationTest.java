package com.meltano.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Self-registration through the page (SPEC section 5, {@code MELTANO_AUTH_REGISTRATION=open}):
 * during an authorization request it ends at the client with a code; the account is a plain
 * {@code regular} one with an unverified email; bad input and forged forms create nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RegistrationTest {

    @Test
    void registerDuringAuthorizationRequestThenFirstPartyClientGetsCodeAndUserIsRegularUnverified() {
        Client client = Browser.webClient(true);
        Browser browser = new Browser();
        String verifier = Browser.newVerifier();
        Response authorize = browser.authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid email",
                "reg-state", verifier));
        assertThat(Browser.ourPathOnly(authorize.header("Location"))).isEqualTo("/login");
        Response loginPage = browser.follow(authorize);
        assertThat(Browser.html(loginPage).select("a[href^=/register]")).as("SPEC 5: a link to the registration page").isNotEmpty();
        String email = Browser.uniqueEmail("registered");

        Response registerPage = browser.get("/register");
        Document form = Browser.html(registerPage);
        assertThat(form.select("form[action=/register] input[name=email]")).isNotEmpty();
        assertThat(form.select("form[action=/register] input[name=password]")).isNotEmpty();
        Response registered = browser.post("/register",
                Map.of("email", email, "password", Browser.PASSWORD, "csrf", Browser.csrf(registerPage)));

        assertThat(registered.statusCode()).as(registered.asString()).isEqualTo(303);
        String location = registered.header("Location");
        assertThat(location).as("first-party: straight to the client, no consent page").startsWith(client.redirectUri() + "?");
        Map<String, String> q = Browser.query(location);
        assertThat(q).containsKey("code");
        assertThat(q.get("state")).isEqualTo("reg-state");
        assertThat(q.get("iss")).isEqualTo("http://localhost:8080");
        assertThat(browser.cookie(Browser.SESSION)).as("signed in after registering").isNotBlank();

        List<Map<String, Object>> users = Browser.usersWithEmail(email);
        assertThat(users).hasSize(1);
        assertThat(users.get(0).get("roles")).isEqualTo(List.of("regular"));
        assertThat(users.get(0).get("email_verified")).isEqualTo(false);
        assertThat(users.get(0).get("enabled")).isEqualTo(true);

        Browser.Tokens tokens = Browser.exchange(client, q.get("code"), client.redirectUri(), verifier);
        assertThat(Browser.userinfoStatus(tokens.accessToken())).isEqualTo(200);
        assertThat(io.restassured.RestAssured.given().header("Authorization", "Bearer " + tokens.accessToken())
                .get("/userinfo").jsonPath().getString("sub")).isEqualTo(users.get(0).get("id"));
    }

    @Test
    void registerThenNewAccountSignsInWithItsPassword() {
        Client client = Browser.webClient(true);
        String email = Browser.uniqueEmail("reg-then-login");
        Browser first = new Browser();
        Response page = first.get("/register");
        Response r = first.post("/register", Map.of("email", email, "password", Browser.PASSWORD, "csrf", Browser.csrf(page)));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPathOnly(r.header("Location"))).as("no authorization request: the account page").isEqualTo("/account");

        Browser.SignIn signIn = new Browser().signIn(client.id(), client.redirectUri(), "openid", email, Browser.PASSWORD);

        assertThat(signIn.code()).isNotBlank();
    }

    @Test
    void registerWhenEmailExistsThenErrorExistsAndNoSecondUser() {
        String email = Browser.uniqueEmail("taken");
        Browser.createUser(email, Browser.PASSWORD);
        Browser browser = new Browser();
        Response page = browser.get("/register");

        Response r = browser.post("/register", Map.of("email", email.toUpperCase(java.util.Locale.ROOT),
                "password", "another-good-password", "csrf", Browser.csrf(page)));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/register?error=exists");
        assertThat(browser.cookie(Browser.SESSION)).as("nobody signed in").isNull();
        assertThat(Browser.usersWithEmail(email)).hasSize(1);
        Response again = browser.follow(r);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Browser.html(again).select("[role=alert]").text()).isNotBlank();
    }

    @Test
    void registerWhenPasswordTooShortThenErrorPasswordAndNoUser() {
        String email = Browser.uniqueEmail("weak");
        Browser browser = new Browser();
        Response page = browser.get("/register");

        Response r = browser.post("/register", Map.of("email", email, "password", "short", "csrf", Browser.csrf(page)));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/register?error=password");
        assertThat(Browser.usersWithEmail(email)).isEmpty();
    }

    @Test
    void registerWhenPasswordIsTheEmailThenErrorPasswordAndNoUser() {
        String email = Browser.uniqueEmail("same");
        Browser browser = new Browser();
        Response page = browser.get("/register");

        Response r = browser.post("/register", Map.of("email", email, "password", email, "csrf", Browser.csrf(page)));

        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/register?error=password");
        assertThat(Browser.usersWithEmail(email)).isEmpty();
    }

    @Test
    void registerWhenCsrfForgedThenNoUserCreated() {
        String email = Browser.uniqueEmail("forged");
        Browser browser = new Browser();
        browser.get("/register"); // the flow cookie is set, but the attacker does not know the page's token

        Response r = browser.post("/register", Map.of("email", email, "password", Browser.PASSWORD,
                "csrf", "forged-" + UUID.randomUUID()));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPathOnly(r.header("Location"))).isEqualTo("/register");
        assertThat(browser.cookie(Browser.SESSION)).isNull();
        assertThat(Browser.usersWithEmail(email)).isEmpty();
    }

    @Test
    void registerWhenCsrfMissingThenNoUserCreated() {
        String email = Browser.uniqueEmail("nocsrf");
        Browser browser = new Browser();
        browser.get("/register");

        Response r = browser.post("/register", Map.of("email", email, "password", Browser.PASSWORD));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(browser.cookie(Browser.SESSION)).isNull();
        assertThat(Browser.usersWithEmail(email)).isEmpty();
    }

    @Test
    void registerWhenNoFlowCookieThenNoUserCreated() {
        String email = Browser.uniqueEmail("noflow");
        Browser browser = new Browser();
        String csrf = Browser.csrf(browser.get("/register"));
        browser.forget(Browser.FLOW); // a cross-site POST: SameSite=Lax keeps the cookie home

        Response r = browser.post("/register", Map.of("email", email, "password", Browser.PASSWORD, "csrf", csrf));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.usersWithEmail(email)).isEmpty();
    }

    @Test
    void registerPageThenFramingRefusedAndNotCached() {
        Response page = new Browser().get("/register");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).as("SPEC 5: pages refuse to be framed")
                .contains("frame-ancestors 'none'");
        assertThat(page.header("Cache-Control")).contains("no-store");
    }

    @Test
    void loginAndConsentPagesThenFramingRefused() {
        Client client = Browser.webClient(false);
        String email = Browser.uniqueEmail("consent-headers");
        Browser.createUser(email, Browser.PASSWORD);
        Browser browser = new Browser();
        browser.authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid", "s", Browser.newVerifier()));
        Response login = browser.get("/login");
        Response toConsent = browser.post("/login", Map.of("email", email, "password", Browser.PASSWORD,
                "csrf", Browser.csrf(login)));
        assertThat(Browser.ourPathOnly(toConsent.header("Location"))).as("third-party client: consent").isEqualTo("/consent");
        Response consent = browser.follow(toConsent);
        assertThat(Browser.html(consent).select("button[name=decision][value=allow]")).isNotEmpty();
        assertThat(Browser.html(consent).select("button[name=decision][value=deny]")).isNotEmpty();

        assertThat(login.header("Content-Security-Policy")).as("SPEC 5: the login page refuses to be framed")
                .contains("frame-ancestors 'none'");
        assertThat(consent.header("Content-Security-Policy")).as("SPEC 5: the consent page refuses to be framed")
                .contains("frame-ancestors 'none'");
    }
}
