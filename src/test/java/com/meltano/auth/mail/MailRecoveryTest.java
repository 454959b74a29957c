package com.meltano.auth.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.MailAndGitLab;
import com.meltano.auth.support.MailServer;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Mail, email verification, registration without enumeration and password reset (SPEC section
 * 12), against a real SMTP server (GreenMail): each mail arrives, its link works once, a newer
 * link voids the older, known and unknown emails get the same answer, an SMTP outage loses nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailAndGitLab.class)
class MailRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    DataSource ds;

    /** A path and query on this server from an absolute link of a mail (built from the issuer). */
    private static String path(String link) {
        assertThat(link).as("links are built from the issuer").startsWith("http://localhost:8080/");
        return link.substring("http://localhost:8080".length());
    }

    private static Response register(Browser browser, String email, String password) {
        Response page = browser.get("/register");
        for (int i = 0; i < 3 && page.statusCode() == 303; i++) {
            page = browser.follow(page);
        }
        return browser.post("/register", Map.of("email", email, "password", password, "csrf", Browser.csrf(page)));
    }

    /** Opens a mailed link (GET: a page with a button, nothing changed) and presses its button (POST). */
    private static Response pressButtonOf(Browser browser, String link) {
        Response page = browser.get(path(link));
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
        String action = Browser.html(page).selectFirst("form").attr("action");
        return browser.post(action, Map.of("token", Browser.html(page).selectFirst("input[name=token]").attr("value"),
                "csrf", Browser.csrf(page)));
    }

    @Test
    void registrationWhenMailOnThenCheckMailPageAndLinkVerifiesSignsInAndResumesAuthorization() {
        Client client = Browser.webClient(true);
        Browser browser = new Browser();
        String verifier = Browser.newVerifier();
        Response authorize = browser.authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid email", "st-1",
                verifier));
        browser.follow(authorize);
        String email = Browser.uniqueEmail("mailreg");

        Response registered = register(browser, email, Browser.PASSWORD);
        assertThat(registered.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPathOnly(registered.header("Location"))).isEqualTo("/verify-email");
        assertThat(browser.cookie(Browser.SESSION)).as("not signed in before the link is followed").isNull();
        Response checkMail = browser.follow(registered);
        assertThat(checkMail.asString()).contains("Check your mail");
        assertThat(Browser.usersWithEmail(email).get(0).get("email_verified")).isEqualTo(false);

        MailServer.Received mail = MailServer.nth(email, 1);
        assertThat(mail.from()).isEqualTo(MailServer.FROM);
        assertThat(mail.html()).as("an HTML body too").contains("Verify my email");
        assertThat(mail.text()).doesNotContain(Browser.PASSWORD);
        String link = mail.link("http://localhost:8080/verify-email?token=");

        Response page = browser.get(path(link));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(Browser.usersWithEmail(email).get(0).get("email_verified")).as("GET changes nothing (mail scanners)").isEqualTo(false);

        Response verified = pressButtonOf(browser, link);
        assertThat(verified.statusCode()).isEqualTo(303);
        assertThat(verified.header("Location")).as("the pending authorization request resumes at the client")
                .startsWith(client.redirectUri() + "?");
        assertThat(Browser.query(verified.header("Location")).get("state")).isEqualTo("st-1");
        assertThat(browser.cookie(Browser.SESSION)).isNotBlank();
        assertThat(Browser.usersWithEmail(email).get(0).get("email_verified")).isEqualTo(true);

        Response again = new Browser().get(path(link));
        assertThat(Browser.ourPath(again.header("Location"))).as("a used link: its page says so").isEqualTo("/verify-email?error=used");
    }

    @Test
    void registrationWhenItsRequestExpiredBeforeTheLinkThenSignedInToldSoAndLedBackToTheApplication() {
        Client client = Browser.webClient(true);
        Browser browser = new Browser();
        browser.follow(browser.authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid", "st-late",
                Browser.newVerifier())));
        String email = Browser.uniqueEmail("latereg");
        Response registered = register(browser, email, Browser.PASSWORD);
        String flowId = Browser.query("http://x" + Browser.ourPath(registered.header("Location"))).get("flow");
        assertThat(Database.update(ds, "update login_flow set expires_at = now() - interval '1 second' where public_id = ?", flowId))
                .isEqualTo(1);

        Response checkMail = browser.follow(registered);
        assertThat(checkMail.asString()).contains("Check your mail")
                .as("no promise to continue to an application whose request ended").doesNotContain("To continue to");

        Response verified = pressButtonOf(browser, MailServer.nth(email, 1).link("http://localhost:8080/verify-email?token="));
        assertThat(browser.cookie(Browser.SESSION)).as("the link signs in, as when the request is still waiting").isNotBlank();
        Response done = browser.follow(verified);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(Browser.html(done).text()).contains("Email verified").contains("ended before the link was opened");
        Element back = Browser.html(done).selectFirst("a[href^=/oauth2/authorize]");
        assertThat(back).as("a way back to the application: %s", done.asString()).isNotNull();
        Response again = browser.authorize(Browser.query("http://x" + back.attr("href")));
        assertThat(again.header("Location")).as("signed in: the request sent again ends at the client").startsWith(client.redirectUri());
        assertThat(Browser.query(again.header("Location"))).containsEntry("state", "st-late").containsKey("code");
    }

    @Test
    void verificationLinkWhenUsedTwiceThenSecondRefusedAndNothingSignedIn() {
        Browser browser = new Browser();
        String email = Browser.uniqueEmail("twice");
        register(browser, email, Browser.PASSWORD);
        String link = MailServer.nth(email, 1).link("http://localhost:8080/verify-email?token=");
        Response page = browser.get(path(link));
        String token = Browser.html(page).selectFirst("input[name=token]").attr("value");
        String csrf = Browser.csrf(page);
        Response first = browser.post("/verify-email", Map.of("token", token, "csrf", csrf));
        assertThat(Browser.ourPath(first.header("Location"))).isEqualTo("/account");

        Browser other = new Browser();
        Response otherPage = other.get(path(link));
        assertThat(Browser.ourPath(otherPage.header("Location"))).isEqualTo("/verify-email?error=used");
        Response second = browser.post("/verify-email", Map.of("token", token, "csrf", csrf));
        assertThat(Browser.ourPath(second.header("Location"))).isEqualTo("/verify-email?error=used");
        assertThat(browser.follow(second).statusCode()).isEqualTo(400);
    }

    @Test
    void verificationPostWhenFromAnotherBrowserWithoutItsCookieThenRefused() {
        Browser browser = new Browser();
        String email = Browser.uniqueEmail("csrf");
        register(browser, email, Browser.PASSWORD);
        String link = MailServer.nth(email, 1).link("http://localhost:8080/verify-email?token=");
        Response page = browser.get(path(link));
        String token = Browser.html(page).selectFirst("input[name=token]").attr("value");

        Response forged = new Browser().post("/verify-email", Map.of("token", token, "csrf", Browser.csrf(page)));
        assertThat(Browser.ourPath(forged.header("Location"))).as("login CSRF: a cross-site form carries no cookie").isEqualTo("/verify-email?error=form");
        assertThat(Browser.usersWithEmail(email).get(0).get("email_verified")).isEqualTo(false);
    }

    @Test
    void registrationWhenEmailExistsThenSameAnswerAndOwnerToldWithResetLink() {
        String email = Browser.uniqueEmail("exists");
        Response first = register(new Browser(), email, Browser.PASSWORD);
        Response second = register(new Browser(), email.toUpperCase(), "another-long-password");
        assertThat(Browser.outcome(second.header("Location"))).as("no enumeration").isEqualTo(Browser.outcome(first.header("Location")));
        assertThat(second.statusCode()).isEqualTo(first.statusCode());
        assertThat(Browser.usersWithEmail(email)).hasSize(1);

        List<MailServer.Received> mails = MailServer.await(email, 2, WAIT);
        MailServer.Received told = mails.stream().filter(m -> m.subject().contains("tried to register")).findFirst().orElseThrow();
        assertThat(told.text()).contains("http://localhost:8080/account").contains("http://localhost:8080/reset-password?token=");
        assertThat(told.text()).doesNotContain("another-long-password");
    }

    @Test
    void forgotPasswordWhenKnownOrUnknownEmailThenSameAnswerAndOnlyKnownGetsMail() {
        String known = Browser.uniqueEmail("known");
        Browser.createUser(known, Browser.PASSWORD);
        String unknown = Browser.uniqueEmail("unknown");
        Browser browserA = new Browser();
        Response a = forgot(browserA, known);
        Response b = forgot(new Browser(), unknown);
        assertThat(a.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPath(a.header("Location"))).isEqualTo(Browser.ourPath(b.header("Location"))).isEqualTo("/forgot-password?sent=1");
        assertThat(Browser.html(browserA.follow(a)).text()).contains("a link to choose a new password is on its way");
        assertThat(Browser.html(new Browser().get("/forgot-password?sent=1")).text()).as("a link alone says nothing was sent")
                .doesNotContain("is on its way");
        assertThat(MailServer.nth(known, 1).subject()).isEqualTo("Set a new password");
        assertThat(MailServer.to(unknown)).isEmpty();
    }

    @Test
    void loginPageWhenMailOnThenLinksToForgotPassword() {
        Response page = new Browser().get("/login");
        Browser b = new Browser();
        Response login = b.get("/login");
        for (int i = 0; i < 3 && login.statusCode() == 303; i++) {
            login = b.follow(login);
        }
        assertThat(Browser.html(login).select("a[href=/forgot-password]").text()).isEqualTo("Forgot password?");
        assertThat(page.statusCode()).isIn(200, 303);
    }

    @Test
    void resetWhenLinkFollowedThenPasswordSetSessionsRevokedEmailVerifiedAndNotified() {
        String email = Browser.uniqueEmail("reset");
        Browser.createUser(email, Browser.PASSWORD);
        Client client = Browser.webClient(true);
        Browser signedIn = new Browser();
        Browser.SignIn before = signedIn.signIn(client.id(), client.redirectUri(), "openid offline_access", email, Browser.PASSWORD);
        Browser.Tokens tokens = Browser.exchange(client, before);

        forgot(new Browser(), email);
        String link = MailServer.nth(email, 1).link("http://localhost:8080/reset-password?token=");
        Browser browser = new Browser();
        Response page = browser.get(path(link));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.asString()).contains(email);

        Response weak = postForm(browser, page, Map.of("password", "short"));
        assertThat(weak.statusCode()).isEqualTo(303);
        Response again = browser.follow(weak);
        assertThat(Browser.html(again).select("#password[aria-invalid=true]")).as("the error sits at the field").isNotEmpty();

        Response done = postForm(browser, again, Map.of("password", "a-brand-new-password"));
        assertThat(Browser.ourPath(done.header("Location"))).isEqualTo("/reset-password?done=1");
        assertThat(Browser.html(browser.follow(done)).text()).contains("Your new password is set");
        assertThat(Browser.html(new Browser().follow(done)).text()).as("a link alone confirms nothing")
                .doesNotContain("Your new password is set");

        assertThat(Browser.refresh(client, tokens.refreshToken()).statusCode()).as("every grant revoked").isEqualTo(400);
        assertThat(signedIn.get("/account").statusCode()).as("every session revoked").isEqualTo(303);
        assertThat(Browser.usersWithEmail(email).get(0).get("email_verified")).isEqualTo(true);
        new Browser().signIn(client.id(), client.redirectUri(), "openid", email, "a-brand-new-password");

        MailServer.Received notice = MailServer.nth(email, 2);
        assertThat(notice.subject()).isEqualTo("Your password was reset");
        assertThat(notice.text()).doesNotContain("a-brand-new-password").doesNotContain("token=");

        Response used = browser.get(path(link));
        assertThat(Browser.ourPath(used.header("Location"))).as("single use").isEqualTo("/reset-password?error=used");
    }

    @Test
    void resetWhenNewerLinkRequestedThenOlderLinkVoid() {
        String email = Browser.uniqueEmail("newer");
        Browser.createUser(email, Browser.PASSWORD);
        forgot(new Browser(), email);
        String older = MailServer.nth(email, 1).link("http://localhost:8080/reset-password?token=");
        forgot(new Browser(), email);
        String newer = MailServer.nth(email, 2).link("http://localhost:8080/reset-password?token=");
        assertThat(newer).isNotEqualTo(older);
        assertThat(Browser.ourPath(new Browser().get(path(older)).header("Location"))).isEqualTo("/reset-password?error=used");
        assertThat(new Browser().get(path(newer)).statusCode()).isEqualTo(200);
    }

    @Test
    void resetWhenSmtpServerDownThenRequestSucceedsAndMailArrivesAfterRestart() {
        String email = Browser.uniqueEmail("outage");
        Browser.createUser(email, Browser.PASSWORD);
        MailServer.stopServer();
        try {
            Response r = forgot(new Browser(), email);
            assertThat(Browser.ourPath(r.header("Location"))).as("an SMTP outage fails no request").isEqualTo("/forgot-password?sent=1");
            try {
                Thread.sleep(1500); // the first attempt fails while the server is down
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            MailServer.startServer();
        }
        MailServer.Received mail = MailServer.await(email, 1, Duration.ofSeconds(60)).get(0);
        assertThat(mail.subject()).isEqualTo("Set a new password");
        String link = mail.link("http://localhost:8080/reset-password?token=");
        assertThat(new Browser().get(path(link)).statusCode()).as("the queued link works").isEqualTo(200);
    }

    @Test
    void forgotPasswordWhenRepeatedThenThrottledAlikeForKnownAndUnknown() {
        String known = Browser.uniqueEmail("thr-known");
        Browser.createUser(known, Browser.PASSWORD);
        String unknown = Browser.uniqueEmail("thr-unknown");
        String lastKnown = null;
        String lastUnknown = null;
        for (int i = 0; i < 8; i++) {
            lastKnown = Browser.ourPath(forgot(new Browser(), known).header("Location"));
            lastUnknown = Browser.ourPath(forgot(new Browser(), unknown).header("Location"));
        }
        assertThat(lastKnown).startsWith("/forgot-password?wait=");
        assertThat(lastUnknown).startsWith("/forgot-password?wait=");
    }

    /** Posts the page's form as a browser would: its hidden inputs, plus {@code values}. */
    private static Response postForm(Browser browser, Response page, Map<String, String> values) {
        var form = Browser.html(page).selectFirst("form");
        Map<String, String> body = new java.util.LinkedHashMap<>();
        form.select("input[name]").forEach(i -> body.put(i.attr("name"), i.attr("value")));
        body.putAll(values);
        return browser.post(form.attr("action"), body);
    }

    private static Response forgot(Browser browser, String email) {
        Response page = browser.get("/forgot-password");
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
        return browser.post("/forgot-password", Map.of("email", email, "csrf", Browser.csrf(page)));
    }
}
