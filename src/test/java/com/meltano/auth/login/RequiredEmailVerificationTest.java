package com.meltano.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.support.LockedDown;
import com.meltano.auth.support.MailServer;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * SPEC section 12, {@code MELTANO_AUTH_REQUIRE_VERIFIED_EMAIL=true}: an account whose email is not
 * verified gets no tokens. Its sign-in ends on the "check your mail" page (no code reaches the
 * client), whose button mails a new link; once the link is followed, a new authorization request
 * gets a code. Its refresh tokens are refused meanwhile. Verified accounts are not affected.
 * ({@link LockedDown}: registration is closed too, so accounts come from the admin API.)
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(LockedDown.class)
class RequiredEmailVerificationTest {

    private static final String LINKS = "http://localhost:8080";

    @Test
    void signInWhenEmailUnverifiedThenCheckMailPageAndNoCodeUntilResentLinkFollowed() {
        String email = Browser.uniqueEmail("unverified");
        Browser.createUser(email, Browser.PASSWORD);
        Client client = Browser.webClient(true);
        Browser browser = new Browser();

        Response login = browser.follow(browser.authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid",
                "st-unverified", Browser.newVerifier())));
        Response signedIn = browser.post("/login", Map.of("email", email, "password", Browser.PASSWORD, "csrf", Browser.csrf(login)));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.header("Location")).as("no code at the client").doesNotStartWith(client.redirectUri())
                .doesNotContain("code=");
        assertThat(Browser.ourPath(signedIn.header("Location"))).isEqualTo("/verify-email");

        Response checkMail = browser.follow(signedIn);
        assertThat(checkMail.statusCode()).isEqualTo(200);
        assertThat(Browser.html(checkMail).select("h1").text()).isEqualTo("Check your mail");
        assertThat(checkMail.asString()).contains(email + " is not verified yet")
                .as("no link was sent, so the page does not speak of one").doesNotContain("the link we sent")
                .contains("Press the button to have a link sent to it");
        assertThat(MailServer.to(email)).as("no mail yet: the account was made by an admin").isEmpty();

        Response again = browser.authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid", "st-again",
                Browser.newVerifier()));
        assertThat(Browser.ourPath(again.header("Location"))).as("signed in, still no code").isEqualTo("/verify-email");

        var resendForm = Browser.html(checkMail).selectFirst("form[action=/verify-email/resend]");
        assertThat(resendForm.selectFirst("button").text()).isEqualTo("Send me a link");
        Response resent = browser.post("/verify-email/resend", Map.of("csrf", resendForm.selectFirst("input[name=csrf]").attr("value")));
        assertThat(Browser.ourPath(resent.header("Location"))).isEqualTo("/verify-email?sent=1");
        Response afterSending = browser.follow(resent);
        assertThat(afterSending.asString()).contains("A new link is on its way.").contains("Open the link we sent to it");
        assertThat(Browser.html(afterSending).selectFirst("form[action=/verify-email/resend] button").text())
                .isEqualTo("Send the link again");

        String link = MailServer.nth(email, 1).link(LINKS + "/verify-email?token=");
        Response linkPage = browser.get(link.substring(LINKS.length()));
        Response verified = browser.post("/verify-email", Map.of("token", Browser.html(linkPage).selectFirst("input[name=token]").attr("value"),
                "csrf", Browser.csrf(linkPage)));
        assertThat(Browser.ourPath(verified.header("Location"))).isEqualTo("/verify-email?done=1");
        assertThat(Browser.usersWithEmail(email).get(0).get("email_verified")).isEqualTo(true);

        Browser.SignIn after = browser.signIn(client.id(), client.redirectUri(), "openid", null, null);
        assertThat(Browser.exchange(client, after).accessToken()).as("the same session now gets tokens").isNotBlank();
    }

    @Test
    void signInWhenEmailVerifiedThenCodeAtOnce() {
        String email = Browser.uniqueEmail("verified");
        String id = Browser.createUser(email, Browser.PASSWORD);
        Browser.patchUser(id, Map.of("email_verified", true));
        Client client = Browser.webClient(true);

        Browser.SignIn signIn = new Browser().signIn(client.id(), client.redirectUri(), "openid", email, Browser.PASSWORD);
        assertThat(Browser.exchange(client, signIn).accessToken()).isNotBlank();
        assertThat(MailServer.to(email)).isEmpty();
    }

    @Test
    void refreshWhenEmailNoLongerVerifiedThenInvalidGrantAndTokenStillGoodOnceVerified() {
        String email = Browser.uniqueEmail("refresh-unverified");
        String id = Browser.createUser(email, Browser.PASSWORD);
        Browser.patchUser(id, Map.of("email_verified", true));
        Client client = Browser.webClient(true);
        Browser.Tokens tokens = Browser.exchange(client,
                new Browser().signIn(client.id(), client.redirectUri(), "openid offline_access", email, Browser.PASSWORD));

        Browser.patchUser(id, Map.of("email_verified", false));
        Response refused = Browser.refresh(client, tokens.refreshToken());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.jsonPath().getString("error")).isEqualTo("invalid_grant");
        assertThat(refused.jsonPath().getString("access_token")).isNull();

        Browser.patchUser(id, Map.of("email_verified", true));
        assertThat(Browser.refreshed(client, tokens.refreshToken()).accessToken())
                .as("the refusal did not use the refresh token up").isNotBlank();
    }
}
