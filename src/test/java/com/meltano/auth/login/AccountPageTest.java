package com.meltano.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.login.Browser.SignIn;
import com.meltano.auth.login.Browser.Tokens;
import com.meltano.auth.support.Parallel;
import com.meltano.auth.support.PostgresTestResource;
import com.meltano.auth.support.ThrottleBounds;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The account page (SPEC section 5): only for a signed-in person; a password change needs the
 * current password and a CSRF token, signs out every other session and revokes every other grant,
 * keeping the grants of the session that made the change. A password set by an admin revokes all.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AccountPageTest {

    private static final String NEW_PASSWORD = "a-brand-new-passphrase-42";

    @Test
    void accountPageWhenNoSessionThenRedirectToLogin() {
        Response r = new Browser().get("/account");

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPathOnly(r.header("Location"))).isEqualTo("/login");
    }

    @Test
    void accountPageWhenUnknownSessionCookieThenRedirectToLogin() {
        Response r = Browser.withSession("not-a-session-" + UUID.randomUUID()).get("/account");

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPathOnly(r.header("Location"))).isEqualTo("/login");
    }

    @Test
    void accountPageWhenSignedInThenShowsEmailAndPasswordForm() {
        Person p = person("shows");

        Response page = p.browser.get("/account");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(Browser.html(page).text()).contains(p.email);
        assertThat(Browser.html(page).select("form[action=/account/password] input[name=current_password]")).isNotEmpty();
        assertThat(Browser.html(page).select("form[action=/account/password] input[name=new_password]")).isNotEmpty();
    }

    @Test
    void accountPageThenFramingRefusedAndNotCached() {
        Person p = person("headers");

        Response page = p.browser.get("/account");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).as("SPEC 5: pages refuse to be framed")
                .contains("frame-ancestors 'none'");
        assertThat(page.header("Cache-Control")).contains("no-store");
    }

    @Test
    void accountPageWhenSignedInWithoutAuthorizationRequestThenLoginLeadsToAccount() {
        String email = Browser.uniqueEmail("direct");
        Browser.createUser(email, Browser.PASSWORD);
        Browser browser = new Browser();
        String csrf = browser.csrfOf("/login");

        Response r = browser.post("/login", Map.of("email", email, "password", Browser.PASSWORD, "csrf", csrf));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPathOnly(r.header("Location"))).isEqualTo("/account");
        assertThat(Browser.html(browser.get("/account")).text()).contains(email);
    }

    @Test
    void accountPageWhenALinkCarriesAConfirmationThenItIsNotShown() {
        Person p = person("forged-status");

        String forged = Browser.html(p.browser.get("/account?changed=1")).text();
        String forgedGitLab = Browser.html(p.browser.get("/account?gitlab=unlinked")).text();

        assertThat(forged).as("a link cannot make the page say the password was changed").doesNotContain("password was changed");
        assertThat(forgedGitLab).doesNotContain("no longer linked");
    }

    @Test
    void changePasswordWhenCurrentPasswordRightThenOtherSessionsAndOtherGrantsRevokedButThisSessionsGrantKept() {
        Person p = person("change");
        SignIn elsewhere = new Browser().signIn(p.client.id(), p.client.redirectUri(), "openid offline_access", p.email,
                Browser.PASSWORD);
        Tokens otherTokens = Browser.exchange(p.client, elsewhere);
        assertThat(Browser.withSession(elsewhere.session()).get("/account").statusCode()).isEqualTo(200);

        Response r = changePassword(p.browser, Browser.PASSWORD, NEW_PASSWORD);

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/account?changed=1");
        assertThat(Browser.html(p.browser.follow(r)).text()).as("the browser whose form did it is told")
                .contains("Your password was changed.");
        // the other session is signed out
        Response other = Browser.withSession(elsewhere.session()).get("/account");
        assertThat(other.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPathOnly(other.header("Location"))).isEqualTo("/login");
        // the other session's grant is revoked, even with offline_access
        Response deadRefresh = Browser.refresh(p.client, otherTokens.refreshToken());
        assertThat(deadRefresh.statusCode()).isEqualTo(400);
        assertThat((String) deadRefresh.path("error")).isEqualTo("invalid_grant");
        assertThat(Browser.userinfoStatus(otherTokens.accessToken())).isEqualTo(401);
        // this session and its grant live on
        Response mine = p.browser.follow(r);
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(Browser.html(mine).select("[role=status]").text()).isNotBlank();
        Tokens refreshed = Browser.refreshed(p.client, p.tokens.refreshToken());
        assertThat(Browser.userinfoStatus(refreshed.accessToken())).isEqualTo(200);
    }

    @Test
    void changePasswordWhenDoneThenNewPasswordSignsInAndOldOneDoesNot() {
        Person p = person("newpw");

        changePassword(p.browser, Browser.PASSWORD, NEW_PASSWORD);

        assertThat(login(p.email, Browser.PASSWORD)).isEqualTo("/login?failed=1");
        assertThat(login(p.email, NEW_PASSWORD)).isEqualTo("/account");
    }

    @Test
    void changePasswordWhenCurrentPasswordWrongThenErrorWrongAndNothingChanges() {
        Person p = person("wrong");
        SignIn elsewhere = new Browser().signIn(p.client.id(), p.client.redirectUri(), "openid", p.email, Browser.PASSWORD);

        Response r = changePassword(p.browser, "not-the-current-password", NEW_PASSWORD);

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/account?error=wrong");
        Response page = p.browser.get("/account?error=wrong");
        assertThat(Browser.html(page).select("[role=alert]").text()).isNotBlank();
        assertThat(login(p.email, Browser.PASSWORD)).as("the old password still signs in").isEqualTo("/account");
        assertThat(login(p.email, NEW_PASSWORD)).isEqualTo("/login?failed=1");
        assertThat(Browser.withSession(elsewhere.session()).get("/account").statusCode()).isEqualTo(200);
    }

    @Test
    void changePasswordWhenSixWrongCurrentPasswordsThenEvenTheRightOneRefusedForAWhile() {
        Person p = person("reauth-throttle");
        SignIn elsewhere = new Browser().signIn(p.client.id(), p.client.redirectUri(), "openid", p.email, Browser.PASSWORD);
        for (int i = 0; i < 6; i++) {
            assertThat(Browser.outcome(changePassword(p.browser, "wrong-password-" + i, NEW_PASSWORD).header("Location")))
                    .isEqualTo("/account?error=wrong");
        }

        // a stolen session cookie does not buy unlimited guesses at the password behind it
        Response r = changePassword(p.browser, Browser.PASSWORD, NEW_PASSWORD);

        assertThat(Browser.outcome(r.header("Location"))).as("told to wait, never that the password is wrong")
                .matches("/account\\?wait=[1-9][0-9]*");
        assertThat(Browser.html(p.browser.get(Browser.outcome(r.header("Location")))).select("[role=alert]").text())
                .contains("Wait").doesNotContain("not right");
        assertThat(Browser.withSession(elsewhere.session()).get("/account").statusCode())
                .as("the password did not change: the other session still stands").isEqualTo(200);
    }

    /**
     * SPEC section 4: attempts in progress count at re-authentication too. Thirty wrong current
     * passwords at once: at most FREE_FAILURES (5) + 1 are checked; the right one from that address
     * then waits, and from another address it changes the password.
     */
    @Test
    void changePasswordWhenThirtyWrongCurrentPasswordsInParallelThenAtMostSixCheckedAndRightOneWaitsButAcceptedElsewhere()
            throws Exception {
        Person p = person("reauth-parallel");
        String csrf = p.browser.csrfOf("/account");
        String cookies = Browser.SESSION + "=" + p.browser.cookie(Browser.SESSION);
        InetAddress here = InetAddress.getByName("127.0.0.1");
        InetAddress elsewhere = InetAddress.getByName("127.0.0.2"); // all of 127/8 is loopback on Linux

        long start = System.nanoTime();
        List<RawPost.Raw> answers = Parallel.run(30, i -> RawPost.post(here, "/account/password", cookies,
                Map.of("csrf", csrf, "current_password", "parallel-wrong-" + i, "new_password", NEW_PASSWORD)));
        double batch = (System.nanoTime() - start) / 1e9;
        RawPost.Raw fromElsewhere = RawPost.post(elsewhere, "/account/password", cookies,
                Map.of("csrf", csrf, "current_password", Browser.PASSWORD, "new_password", NEW_PASSWORD));
        // the password it had when the guesses began: still blocked here, so told to wait, not checked
        RawPost.Raw fromHere = RawPost.post(here, "/account/password", cookies,
                Map.of("csrf", csrf, "current_password", Browser.PASSWORD, "new_password", NEW_PASSWORD + "-2"));
        double rightAnswered = (System.nanoTime() - start) / 1e9;

        long checked = answers.stream().filter(a -> "/account?error=wrong".equals(Browser.outcome(a.location()))).count();
        long waited = answers.stream().filter(a -> Browser.outcome(a.location()).startsWith("/account?wait=")).count();
        assertThat(checked + waited).as("every answer is a wrong password or a wait").isEqualTo(30);
        assertThat(checked).as("wrong current passwords actually checked within %.1f s (sequentially at most %d)", batch,
                ThrottleBounds.maxChecked(batch)).isBetween(1L, (long) ThrottleBounds.maxChecked(batch));
        if (rightAnswered < ThrottleBounds.surelyBlockedFor(checked)) {
            assertThat(Browser.outcome(fromHere.location())).as("while surely blocked").startsWith("/account?wait=");
        }
        assertThat(Browser.outcome(fromElsewhere.location())).as("SPEC 4: never refused from another address")
                .isEqualTo("/account?changed=1");
        // (signing in from here would wait too: the sign-in form and re-authentication share the (account, address) count)
    }

    @Test
    void changePasswordWhenNewPasswordBreaksPolicyThenErrorAndNothingChanges() {
        Person p = person("policy");

        Response r = changePassword(p.browser, Browser.PASSWORD, "short");

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPathOnly(r.header("Location"))).isEqualTo("/account");
        assertThat(Browser.query(r.header("Location"))).containsKey("error").doesNotContainKey("changed");
        assertThat(login(p.email, Browser.PASSWORD)).isEqualTo("/account");
    }

    @Test
    void changePasswordWhenCsrfForgedThenNothingChanges() {
        Person p = person("forged");
        SignIn elsewhere = new Browser().signIn(p.client.id(), p.client.redirectUri(), "openid", p.email, Browser.PASSWORD);
        Tokens otherTokens = Browser.exchange(p.client, elsewhere);

        Response r = p.browser.post("/account/password", Map.of("csrf", "forged-" + UUID.randomUUID(),
                "current_password", Browser.PASSWORD, "new_password", NEW_PASSWORD));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.query(r.header("Location"))).doesNotContainKey("changed");
        assertThat(login(p.email, Browser.PASSWORD)).isEqualTo("/account");
        assertThat(login(p.email, NEW_PASSWORD)).isEqualTo("/login?failed=1");
        assertThat(Browser.withSession(elsewhere.session()).get("/account").statusCode()).isEqualTo(200);
        assertThat(Browser.refresh(p.client, otherTokens.refreshToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void changePasswordWhenCsrfMissingThenNothingChanges() {
        Person p = person("nocsrf");

        Response r = p.browser.post("/account/password", Map.of("current_password", Browser.PASSWORD,
                "new_password", NEW_PASSWORD));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(login(p.email, NEW_PASSWORD)).isEqualTo("/login?failed=1");
    }

    @Test
    void changePasswordWhenNoSessionThenNothingChanges() {
        Person p = person("nosession");
        String csrf = Browser.csrf(p.browser.get("/account"));

        Response r = new Browser().post("/account/password", Map.of("csrf", csrf, "current_password", Browser.PASSWORD,
                "new_password", NEW_PASSWORD));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPathOnly(r.header("Location"))).isEqualTo("/login");
        assertThat(login(p.email, NEW_PASSWORD)).isEqualTo("/login?failed=1");
    }

    @Test
    void adminSetPasswordThenEveryGrantAndSessionRevoked() {
        Person p = person("adminset");
        SignIn elsewhere = new Browser().signIn(p.client.id(), p.client.redirectUri(), "openid offline_access", p.email,
                Browser.PASSWORD);
        Tokens otherTokens = Browser.exchange(p.client, elsewhere);

        Browser.patchUser(p.id, Map.of("password", NEW_PASSWORD));

        assertThat(p.browser.get("/account").statusCode()).as("this session too").isEqualTo(303);
        assertThat(Browser.withSession(elsewhere.session()).get("/account").statusCode()).isEqualTo(303);
        Response first = Browser.refresh(p.client, p.tokens.refreshToken());
        Response second = Browser.refresh(p.client, otherTokens.refreshToken());
        assertThat(first.statusCode()).isEqualTo(400);
        assertThat((String) first.path("error")).isEqualTo("invalid_grant");
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat((String) second.path("error")).isEqualTo("invalid_grant");
        assertThat(Browser.userinfoStatus(p.tokens.accessToken())).isEqualTo(401);
        assertThat(Browser.userinfoStatus(otherTokens.accessToken())).isEqualTo(401);
        assertThat(login(p.email, NEW_PASSWORD)).isEqualTo("/account");
    }

    // ------------------------------------------------------------------ helpers

    /** A user signed in to a first-party client in {@code browser}, with the tokens of that sign-in. */
    @Test
    void formsWhenPageOutOfDateAfterSigningInAgainThenNothingDoneAndThePageSaysSo() {
        Person p = person("out-of-date");
        String oldCsrf = p.browser.csrfOf("/account");
        // another tab: signed out and in again, so the shown page's form token is the old session's
        p.browser.post("/logout", Map.of("csrf", oldCsrf));
        Response again = p.browser.post("/login", Map.of("email", p.email, "password", Browser.PASSWORD, "csrf", p.browser.csrfOf("/login")));
        assertThat(Browser.ourPathOnly(again.header("Location"))).isEqualTo("/account");

        for (Map.Entry<String, Map<String, String>> form : Map.of(
                "/account/password", Map.of("csrf", oldCsrf, "current_password", Browser.PASSWORD, "new_password", NEW_PASSWORD),
                "/logout", Map.of("csrf", oldCsrf)).entrySet()) {
            Response r = p.browser.post(form.getKey(), form.getValue());

            assertThat(Browser.ourPath(r.header("Location"))).as(form.getKey()).isEqualTo("/account?error=expired");
            Response page = p.browser.get(Browser.ourPath(r.header("Location")));
            assertThat(page.statusCode()).as("still signed in after %s", form.getKey()).isEqualTo(200);
            assertThat(Browser.html(page).select("[role=alert]").text()).contains("out of date").contains("nothing was done");
        }
        assertThat(login(p.email, Browser.PASSWORD)).as("the password did not change").isEqualTo("/account");
    }

    private record Person(String id, String email, Client client, Browser browser, Tokens tokens) {
    }

    private static Person person(String label) {
        Client client = Browser.webClient(true);
        String email = Browser.uniqueEmail(label);
        String id = Browser.createUser(email, Browser.PASSWORD);
        Browser browser = new Browser();
        SignIn signIn = browser.signIn(client.id(), client.redirectUri(), "openid", email, Browser.PASSWORD);
        Tokens tokens = Browser.exchange(client, signIn);
        assertThat(tokens.refreshToken()).isNotBlank();
        return new Person(id, email, client, browser, tokens);
    }

    private static Response changePassword(Browser browser, String current, String next) {
        String csrf = browser.csrfOf("/account");
        return browser.post("/account/password", Map.of("csrf", csrf, "current_password", current, "new_password", next));
    }

    /** A fresh sign-in at the login page (no authorization request): where the POST sends the browser. */
    private static String login(String email, String password) {
        Browser b = new Browser();
        String csrf = b.csrfOf("/login");
        Response r = b.post("/login", Map.of("email", email, "password", password, "csrf", csrf));
        assertThat(r.statusCode()).isEqualTo(303);
        return Browser.outcome(r.header("Location"));
    }

    /** SPEC section 12: with mail off nothing that needs mail is offered; the page still says whether the email is verified. */
    @Test
    void accountPageWhenMailOffThenNoEmailChangeNorResendAndTheirPathsChangeNothing() {
        Person p = person("mail-off");
        org.jsoup.nodes.Document page = Browser.html(p.browser.get("/account"));
        assertThat(page.select("#email-status").text()).contains(p.email).contains("not verified");
        assertThat(page.select("form[action=/account/email]")).isEmpty();
        assertThat(page.select("form[action=/verify-email/resend]")).isEmpty();

        Response r = p.browser.post("/account/email", Map.of("csrf", p.browser.csrfOf("/account"),
                "new_email", Browser.uniqueEmail("mail-off-new"), "current_password", Browser.PASSWORD));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPath(r.header("Location"))).isEqualTo("/account");
        assertThat(Browser.usersWithEmail(p.email)).hasSize(1);
        assertThat(new Browser().get("/confirm-email?token=anything").statusCode()).isEqualTo(404);
    }
}
