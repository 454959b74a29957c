package com.meltano.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.LegacyHash;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Each authorization request is its own login flow (SPEC section 5): tabs never collide, an expired
 * or finished flow never turns a right password into a false error, a flow is bound to the browser
 * that started it, and a failed sign-in keeps the typed email next to an error tied to its fields.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class LoginFlowTest {

    @Inject
    DataSource ds;

    /** One tab: the authorization request's redirect, its login page. */
    private record Tab(Response loginPage, String state, String loginPath) {
        String csrf() {
            return Browser.csrf(loginPage);
        }
    }

    private static Tab open(Browser browser, Client client, String state) {
        Response authorize = browser.authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid", state,
                Browser.newVerifier()));
        assertThat(authorize.statusCode()).as(authorize.asString()).isEqualTo(303);
        String path = Browser.ourPath(authorize.header("Location"));
        assertThat(path).startsWith("/login?flow=");
        Response page = browser.get(path);
        assertThat(page.statusCode()).isEqualTo(200);
        return new Tab(page, state, path);
    }

    private static Response signIn(Browser browser, Tab tab, String email, String password) {
        return browser.post("/login", Map.of("email", email, "password", password, "csrf", tab.csrf()));
    }

    /** A user with {@link Browser#PASSWORD}; returns the email. */
    private static String person(String label) {
        String email = Browser.uniqueEmail(label);
        Browser.createUser(email, Browser.PASSWORD);
        return email;
    }

    /** The browser was sent to the client's redirect URI with a code and this state. */
    private static void assertCodeAt(Response r, Client client, String state) {
        assertThat(r.header("Location")).startsWith(client.redirectUri());
        assertThat(Browser.query(r.header("Location"))).containsEntry("state", state).containsKey("code");
    }

    private static Client namedClient(String name) {
        return Browser.registerClient(Map.of("first_party", true, "name", name));
    }

    @Test
    void twoTabsToTwoClientsWhenFirstTabSignsInThenEachTabEndsAtItsOwnClient() {
        Client a = namedClient("Reports A");
        Client b = namedClient("Dashboards B");
        String email = person("two-tabs");
        Browser browser = new Browser();

        Tab tabA = open(browser, a, "state-a");
        Tab tabB = open(browser, b, "state-b");
        assertThat(tabA.loginPage().asString()).contains("Reports A");
        assertThat(tabB.loginPage().asString()).contains("Dashboards B");

        Response fromA = signIn(browser, tabA, email, Browser.PASSWORD);
        assertCodeAt(fromA, a, "state-a");

        // tab B still shows B's form; signing in there ends at B with B's state
        Response fromB = signIn(browser, tabB, email, Browser.PASSWORD);
        assertCodeAt(fromB, b, "state-b");
    }

    @Test
    void sameClientInTwoTabsWhenNewerTabSignsInFirstThenOlderTabStillEndsWithItsOwnState() {
        Client a = namedClient("Same App");
        String email = person("same-app");
        Browser browser = new Browser();

        Tab older = open(browser, a, "older");
        Tab newer = open(browser, a, "newer");

        assertThat(Browser.query(signIn(browser, newer, email, Browser.PASSWORD).header("Location"))).containsEntry("state", "newer");
        assertThat(Browser.query(signIn(browser, older, email, Browser.PASSWORD).header("Location"))).containsEntry("state", "older");
    }

    @Test
    void expiredFlowWhenRightPasswordThenSignedInToldItExpiredAndLinkBackEndsAtClient() {
        Client a = namedClient("Slow App");
        String email = person("expired");
        Browser browser = new Browser();
        Tab tab = open(browser, a, "slow-state");
        expire(tab);

        Response r = signIn(browser, tab, email, Browser.PASSWORD);

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(browser.cookie(Browser.SESSION)).as("the right password signed the person in").isNotNull();
        Response page = browser.follow(r);
        assertThat(page.statusCode()).isEqualTo(200);
        String text = Browser.html(page).text();
        assertThat(text).contains("Slow App").containsIgnoringCase("expired").contains(email).doesNotContain("not right");
        Element back = Browser.html(page).selectFirst("a[href^=/oauth2/authorize]");
        assertThat(back).as("a way back to the application: %s", page.asString()).isNotNull();
        assertThat(Browser.ourPathOnly(back.attr("href"))).isEqualTo("/oauth2/authorize");
        Response again = browser.authorize(Browser.query("http://x" + back.attr("href")));
        assertCodeAt(again, a, "slow-state");
    }

    @Test
    void finishedFlowWhenPostedAgainFromBackButtonThenNoSecondCodeAndNoFalseError() {
        Client a = namedClient("Back Button App");
        String email = person("back");
        Browser browser = new Browser();
        Tab tab = open(browser, a, "back-state");
        assertThat(signIn(browser, tab, email, Browser.PASSWORD).header("Location")).startsWith(a.redirectUri());

        Response backToForm = browser.get(tab.loginPath());
        assertThat(backToForm.statusCode()).isEqualTo(200);
        assertThat(Browser.html(backToForm).select("input[name=password]")).as("no empty form").isEmpty();
        assertThat(Browser.html(backToForm).text()).contains("Back Button App").contains(email);

        Response again = signIn(browser, tab, email, Browser.PASSWORD);
        assertThat(Browser.ourPath(again.header("Location"))).as("no second code").isEqualTo(tab.loginPath());
    }

    @Test
    void loginPageWhenSignedInAndNoFlowThenAccountPageInsteadOfAnEmptyForm() {
        Client a = namedClient("Any App");
        String email = person("signed-in");
        Browser browser = new Browser();
        signIn(browser, open(browser, a, "s"), email, Browser.PASSWORD);

        Response login = browser.get("/login");

        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPathOnly(login.header("Location"))).isEqualTo("/account");
    }

    @Test
    void formOfAnotherBrowserWhenPostedThenNothingCheckedAndNoSession() {
        Client a = namedClient("Victim App");
        String email = person("csrf");
        Browser attacker = new Browser();
        Tab attackersTab = open(attacker, a, "s");
        Browser victim = new Browser();
        open(victim, a, "v"); // the victim has a flow cookie of its own

        Response r = victim.post("/login", Map.of("email", email, "password", Browser.PASSWORD, "csrf", attackersTab.csrf()));

        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/login?error=form");
        assertThat(victim.cookie(Browser.SESSION)).isNull();
    }

    @Test
    void wrongPasswordThenTypedEmailKeptAndBothFieldsMarkedInvalidWithTheSignInError() {
        Client a = namedClient("Kept Email App");
        String email = person("kept");
        Browser browser = new Browser();
        Tab tab = open(browser, a, "s");

        Response r = signIn(browser, tab, email, "wrong-password-here");
        Response page = browser.follow(r);

        Document html = Browser.html(page);
        assertThat(html.selectFirst("input[name=email]").attr("value")).isEqualTo(email);
        for (String field : new String[] { "email", "password" }) {
            Element input = html.selectFirst("input[name=" + field + "]");
            assertThat(input.attr("aria-invalid")).isEqualTo("true");
            Element error = html.getElementById(input.attr("aria-describedby"));
            assertThat(error).isNotNull();
            assertThat(error.text()).startsWith("Sign-in failed").contains("not right");
        }
        assertThat(html.text()).contains("Kept Email App");
    }

    @Test
    void registrationErrorThenEmailKeptAndErrorNextToTheFieldItConcerns() {
        Browser browser = new Browser();
        String csrf = browser.csrfOf("/register");
        String email = Browser.uniqueEmail("reg-kept");

        Response r = browser.post("/register", Map.of("email", email, "password", "x".repeat(140), "csrf", csrf));
        Document html = Browser.html(browser.follow(r));

        assertThat(html.selectFirst("input[name=email]").attr("value")).isEqualTo(email);
        assertThat(html.selectFirst("input[name=email]").hasAttr("aria-invalid")).isFalse();
        Element password = html.selectFirst("input[name=password]");
        assertThat(password.hasAttr("maxlength")).as("no silent cut of a pasted password").isFalse();
        assertThat(password.attr("aria-invalid")).isEqualTo("true");
        assertThat(html.getElementById(password.attr("aria-describedby").split(" ")[0]).text()).startsWith("Registration failed");
        assertThat(Browser.usersWithEmail(email)).as("a 140-character password creates nothing").isEmpty();
    }

    @Test
    void unicodeEmailWhenRegisteredThroughTheFormThenSignsInThroughTheForm() {
        String email = "jürgen-" + UUID.randomUUID().toString().substring(0, 8) + "@exämple.de";
        Browser browser = new Browser();
        Document register = Browser.html(browser.get("/register"));
        assertThat(register.selectFirst("input[name=email]").attr("type")).as("a field that takes what the server takes")
                .isNotEqualTo("email");
        Response created = browser.post("/register", Map.of("email", email, "password", Browser.PASSWORD,
                "csrf", browser.csrfOf("/register")));
        assertThat(Browser.ourPathOnly(created.header("Location"))).as(created.statusLine() + created.asString()).isEqualTo("/account");

        Browser other = new Browser();
        Response signedIn = other.post("/login", Map.of("email", email, "password", Browser.PASSWORD, "csrf", other.csrfOf("/login")));
        assertThat(Browser.ourPathOnly(signedIn.header("Location"))).isEqualTo("/account");
        assertThat(other.get("/account").asString()).contains(email);
    }

    @Test
    void pagesWhenServedThenHtmlWithUtf8CharsetAndFaviconExists() {
        Response login = new Browser().get("/login?flow=unknown");
        assertThat(login.header("Content-Type")).as(login.headers().toString()).isNotNull();
        assertThat(login.header("Content-Type").replace(" ", "").toLowerCase()).isEqualTo("text/html;charset=utf-8");
        Response favicon = new Browser().get("/favicon.ico");
        assertThat(favicon.statusCode()).as(favicon.headers().toString()).isEqualTo(200);
        assertThat(favicon.contentType()).startsWith("image/");
    }

    @Test
    void signInWhenHashStoredAtOlderParametersThenSignedInAndHashReplacedByOneAtTodays() {
        Client a = namedClient("Old Hash App");
        String email = Browser.uniqueEmail("old-hash");
        Browser.createUser(email, "replaced-below-1");
        assertThat(Database.update(ds, "update app_user set password_hash = ? where email = ?", LegacyHash.HASH, email)).isEqualTo(1);

        Browser stranger = new Browser();
        Response refused = signIn(stranger, open(stranger, a, "wrong"), email, LegacyHash.PASSWORD + "!");
        assertThat(refused.header("Location")).doesNotStartWith(a.redirectUri());
        assertThat(storedHash(email)).as("a wrong password changes nothing").isEqualTo(LegacyHash.HASH);

        Browser browser = new Browser();
        assertCodeAt(signIn(browser, open(browser, a, "first"), email, LegacyHash.PASSWORD), a, "first");
        String rehashed = storedHash(email);
        assertThat(rehashed).startsWith("$argon2id$v=19$m=7168,t=5,p=1$").doesNotContain(LegacyHash.PASSWORD);

        Browser later = new Browser();
        assertCodeAt(signIn(later, open(later, a, "again"), email, LegacyHash.PASSWORD), a, "again");
        assertThat(storedHash(email)).as("a hash at today's parameters is kept").isEqualTo(rehashed);
    }

    private String storedHash(String email) {
        return (String) Database.rows(ds, "select password_hash from app_user where email = ?", email).get(0).get("password_hash");
    }

    private void expire(Tab tab) {
        String flowId = Browser.query("http://x" + tab.loginPath()).get("flow");
        assertThat(Database.update(ds, "update login_flow set expires_at = now() - interval '1 second' where public_id = ?", flowId))
                .isEqualTo(1);
        assertThat(Database.count(ds, "select count(*) from login_flow where public_id = ? and expires_at < now()", flowId)).isEqualTo(1);
    }
}
