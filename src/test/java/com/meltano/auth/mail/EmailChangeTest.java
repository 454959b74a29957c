package com.meltano.auth.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.login.Browser.Tokens;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.MailAndGitLab;
import com.meltano.auth.support.MailServer;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Changing the email on the account page, and the account page's verification status and "send
 * the link again" (SPEC section 12), against a real SMTP server: nothing changes until the new
 * address follows its link; the old address is told; a taken address gets the same answer as a
 * free one; errors sit next to their field and name the form.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailAndGitLab.class)
class EmailChangeTest {

    private static final String CONFIRM_LINK = "http://localhost:8080/confirm-email?token=";

    @Inject
    DataSource ds;

    @Test
    void changeWhenLinkFollowedThenEmailChangedAndVerifiedOldAddressToldSessionsKept() {
        Person p = Person.signedIn("change");
        String next = Browser.uniqueEmail("changed");

        Response asked = requestChange(p.browser, next, Browser.PASSWORD);
        assertThat(Browser.ourPath(asked.header("Location"))).isEqualTo("/account?email=sent");
        assertThat(asked.header("Location")).as("the answer opens the page at its form").endsWith("#email-address");
        assertThat(Browser.html(p.browser.follow(asked)).select("#email-message").text()).startsWith("Change email:")
                .contains("a link is on its way");
        assertThat(Browser.usersWithEmail(p.email)).as("nothing changes before the link is followed").hasSize(1);

        MailServer.Received mail = MailServer.nth(next, 1);
        assertThat(mail.subject()).isEqualTo("Confirm your new email address");
        assertThat(mail.text()).doesNotContain(Browser.PASSWORD);
        String link = mail.link(CONFIRM_LINK);
        Browser opener = new Browser();
        Response page = opener.get(path(link));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(Browser.html(page).text()).contains(next);
        assertThat(Browser.usersWithEmail(p.email)).as("GET changes nothing (mail scanners)").hasSize(1);

        Response confirmed = pressButton(opener, page);
        assertThat(Browser.ourPath(confirmed.header("Location"))).isEqualTo("/confirm-email?done=1");
        assertThat(Browser.html(opener.follow(confirmed)).text()).contains("Email address changed");
        assertThat(opener.cookie(Browser.SESSION)).as("the link signs nobody in").isNull();

        List<Map<String, Object>> now = Browser.usersWithEmail(next);
        assertThat(now).hasSize(1);
        assertThat(now.get(0).get("id")).isEqualTo(p.id);
        assertThat(now.get(0).get("email_verified")).as("following the link proved the address").isEqualTo(true);
        assertThat(Browser.usersWithEmail(p.email)).isEmpty();

        MailServer.Received told = MailServer.nth(p.email, 1);
        assertThat(told.subject()).isEqualTo("Your email address was changed");
        assertThat(told.text()).contains(next).doesNotContain("token=")
                .as("no reset link: the page would send nothing for this address").doesNotContain("/forgot-password")
                .contains("tell your administrator");

        assertThat(Browser.html(p.browser.get("/account")).text()).as("the session is kept").contains(next);
        assertThat(Browser.refresh(p.client, p.tokens.refreshToken()).statusCode()).as("grants are kept").isEqualTo(200);
        new Browser().signIn(p.client.id(), p.client.redirectUri(), "openid", next, Browser.PASSWORD);
        Browser old = new Browser();
        Response oldSignIn = old.post("/login", Map.of("email", p.email, "password", Browser.PASSWORD, "csrf", old.csrfOf("/login")));
        assertThat(Browser.ourPathOnly(oldSignIn.header("Location"))).as("the old address signs in no more").isEqualTo("/login");
        assertThat(Database.count(ds, "select count(*) from audit_event where action = 'user.email_changed' and target = ?", p.id))
                .isEqualTo(1);

        Response again = new Browser().get(path(link));
        assertThat(Browser.ourPath(again.header("Location"))).as("single use").isEqualTo("/confirm-email?error=used");
    }

    @Test
    void changeWhenAddressHasAnAccountThenSameAnswerItsOwnerToldAndNothingChanges() {
        Person p = Person.signedIn("taker");
        String owner = Browser.uniqueEmail("owner");
        String ownerId = Browser.createUser(owner, Browser.PASSWORD);
        String free = Browser.uniqueEmail("free");

        Response toFree = requestChange(p.browser, free, Browser.PASSWORD);
        Response toTaken = requestChange(p.browser, owner.toUpperCase(Locale.ROOT), Browser.PASSWORD);

        assertThat(toTaken.header("Location")).as("no enumeration").isEqualTo(toFree.header("Location"));
        assertThat(Browser.html(p.browser.follow(toTaken)).select("#email-message").text())
                .isEqualTo(Browser.html(p.browser.follow(toFree)).select("#email-message").text());
        MailServer.Received told = MailServer.nth(owner, 1);
        assertThat(told.subject()).isEqualTo("Someone tried to use your email address");
        assertThat(told.text()).doesNotContain("token=").doesNotContain(p.email);
        assertThat(Browser.usersWithEmail(owner).get(0).get("id")).isEqualTo(ownerId);
        assertThat(Browser.usersWithEmail(p.email)).hasSize(1);
        assertThat(MailServer.nth(free, 1).subject()).isEqualTo("Confirm your new email address");
        assertThat(MailServer.to(owner)).as("no link to a taken address").hasSize(1);
    }

    @Test
    void changeWhenWrongPasswordNotAnEmailOrOwnEmailThenErrorNextToItsFieldNamingTheFormAndNothingSent() {
        Person p = Person.signedIn("errors");
        String next = Browser.uniqueEmail("not-yet");

        Response wrong = requestChange(p.browser, next, "not-the-password");
        assertThat(Browser.ourPath(wrong.header("Location"))).isEqualTo("/account?error=email_wrong");
        Document page = Browser.html(p.browser.follow(wrong));
        assertErrorAt(page, "email_password", "Change email: the current password is not right.");
        assertThat(page.select("#new_email[aria-invalid]")).isEmpty();
        assertThat(page.select("form[action=/account/password] [aria-invalid]")).as("the password form is not marked").isEmpty();
        assertThat(page.select("form[action=/account/delete] [aria-invalid]")).isEmpty();

        Document notEmail = Browser.html(p.browser.follow(requestChange(p.browser, "not-an-email", Browser.PASSWORD)));
        assertErrorAt(notEmail, "new_email", "Change email: type a whole email address");
        assertThat(notEmail.select("#email_password[aria-invalid]")).isEmpty();

        Document same = Browser.html(p.browser.follow(requestChange(p.browser, " " + p.email.toUpperCase(Locale.ROOT), Browser.PASSWORD)));
        assertErrorAt(same, "new_email", "Change email: this is already your email address.");

        Response forged = p.browser.post("/account/email", Map.of("csrf", "forged", "new_email", next, "current_password",
                Browser.PASSWORD));
        assertThat(Browser.ourPath(forged.header("Location"))).as("the page says nothing was done").isEqualTo("/account?error=expired");

        requestChange(p.browser, next, Browser.PASSWORD);
        assertThat(MailServer.nth(next, 1).subject()).isEqualTo("Confirm your new email address");
        assertThat(MailServer.to(next)).as("only the accepted request mailed the address").hasSize(1);
    }

    @Test
    void confirmWhenAddressGotAnAccountMeanwhileThen409PageAndEmailUnchanged() {
        Person p = Person.signedIn("race");
        String next = Browser.uniqueEmail("raced");
        requestChange(p.browser, next, Browser.PASSWORD);
        String link = MailServer.nth(next, 1).link(CONFIRM_LINK);
        Browser.createUser(next, Browser.PASSWORD);

        Browser opener = new Browser();
        Response confirmed = pressButton(opener, opener.get(path(link)));
        assertThat(Browser.ourPath(confirmed.header("Location"))).isEqualTo("/confirm-email?error=taken");
        Response shown = opener.follow(confirmed);
        assertThat(shown.statusCode()).isEqualTo(409);
        assertThat(Browser.html(shown).text()).contains("already in use").contains("Nothing was changed");
        assertThat(Browser.usersWithEmail(p.email)).hasSize(1);
        assertThat(Browser.usersWithEmail(next).get(0).get("id")).isNotEqualTo(p.id);
    }

    @Test
    void confirmWhenPostedFromAnotherBrowserThenRefusedAndNothingChanged() {
        Person p = Person.signedIn("forged-confirm");
        String next = Browser.uniqueEmail("forged-new");
        requestChange(p.browser, next, Browser.PASSWORD);
        Response page = new Browser().get(path(MailServer.nth(next, 1).link(CONFIRM_LINK)));

        Response forged = pressButton(new Browser(), page);
        assertThat(Browser.ourPath(forged.header("Location"))).isEqualTo("/confirm-email?error=form");
        assertThat(Browser.usersWithEmail(p.email)).hasSize(1);
        assertThat(Browser.usersWithEmail(next)).isEmpty();
    }

    @Test
    void changeWhenConfirmedThenLinksMailedToTheOldAddressNoLongerWork() {
        Person p = Person.signedIn("old-links");
        resend(p.browser);
        String verify = MailServer.nth(p.email, 1).link("http://localhost:8080/verify-email?token=");
        Browser forgot = new Browser();
        Response forgotPage = forgot.get("/forgot-password");
        forgot.post("/forgot-password", Map.of("email", p.email, "csrf", Browser.csrf(forgotPage)));
        String reset = MailServer.nth(p.email, 2).link("http://localhost:8080/reset-password?token=");

        String next = Browser.uniqueEmail("old-links-new");
        requestChange(p.browser, next, Browser.PASSWORD);
        Browser opener = new Browser();
        assertThat(Browser.ourPath(pressButton(opener, opener.get(path(MailServer.nth(next, 1).link(CONFIRM_LINK))))
                .header("Location"))).isEqualTo("/confirm-email?done=1");

        assertThat(Browser.ourPath(new Browser().get(path(verify)).header("Location"))).isEqualTo("/verify-email?error=used");
        assertThat(Browser.ourPath(new Browser().get(path(reset)).header("Location"))).isEqualTo("/reset-password?error=used");
    }

    @Test
    void changeWhenRepeatedThenThrottledWithTheWaitNextToTheForm() {
        Person p = Person.signedIn("thr-change");
        String next = Browser.uniqueEmail("thr-new");
        String last = null;
        for (int i = 0; i < 20 && (last == null || !last.contains("wait=")); i++) {
            last = Browser.ourPath(requestChange(p.browser, next, Browser.PASSWORD).header("Location"));
        }
        assertThat(last).startsWith("/account?wait=").contains("form=email");
        Document page = Browser.html(p.browser.get(last));
        assertErrorAt(page, "email_password", "Change email: Too many attempts. Wait");
        assertThat(page.select("#current_password[aria-invalid]")).as("the password form is not marked").isEmpty();
    }

    @Test
    void accountPageWhenEmailNotVerifiedThenSaysSoAndSendsTheLinkAgain() {
        Person p = Person.signedIn("unverified");
        Document page = Browser.html(p.browser.get("/account"));
        assertThat(page.select("#email-status").text()).contains(p.email).contains("not verified");

        Response sent = resend(p.browser);
        assertThat(Browser.ourPath(sent.header("Location"))).isEqualTo("/verify-email?sent=1");
        String link = MailServer.nth(p.email, 1).link("http://localhost:8080/verify-email?token=");
        Browser opener = new Browser();
        Response verified = pressButton(opener, opener.get(path(link)));
        assertThat(Browser.ourPath(verified.header("Location"))).isEqualTo("/verify-email?done=1");

        Document after = Browser.html(p.browser.get("/account"));
        assertThat(after.select("#email-status").text()).contains("It is verified");
        assertThat(after.select("form[action=/verify-email/resend]")).as("nothing to send again").isEmpty();
    }

    @Test
    void resendFromAccountPageWhenRepeatedThenToldToWait() {
        Person p = Person.signedIn("thr-resend");
        String last = null;
        // the delay grows 1 s, 2 s, 4 s... after five free requests, so it soon outlasts a request
        for (int i = 0; i < 20 && (last == null || !last.contains("wait=")); i++) {
            last = Browser.ourPath(resend(p.browser).header("Location"));
        }
        assertThat(last).startsWith("/verify-email?wait=");
        assertThat(Browser.html(p.browser.get(last)).text()).contains("Too many attempts. Wait");
    }

    // ------------------------------------------------------------------ helpers

    private record Person(String id, String email, Client client, Browser browser, Tokens tokens) {
        static Person signedIn(String label) {
            Client client = Browser.webClient(true);
            String email = Browser.uniqueEmail(label);
            String id = Browser.createUser(email, Browser.PASSWORD);
            Browser browser = new Browser();
            Tokens tokens = Browser.exchange(client, browser.signIn(client.id(), client.redirectUri(), "openid offline_access", email,
                    Browser.PASSWORD));
            return new Person(id, email, client, browser, tokens);
        }
    }

    private static Response requestChange(Browser browser, String newEmail, String password) {
        Response r = browser.post("/account/email", Map.of("csrf", browser.csrfOf("/account"), "new_email", newEmail,
                "current_password", password));
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        return r;
    }

    private static Response resend(Browser browser) {
        String csrf = Browser.html(browser.get("/account")).selectFirst("form[action=/verify-email/resend] input[name=csrf]")
                .attr("value");
        Response r = browser.post("/verify-email/resend", Map.of("csrf", csrf));
        assertThat(r.statusCode()).isEqualTo(303);
        return r;
    }

    /** Posts the link page's form (its hidden token and form token) as its button does. */
    private static Response pressButton(Browser browser, Response page) {
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
        Element form = Browser.html(page).selectFirst("form");
        Map<String, String> body = new LinkedHashMap<>();
        form.select("input[name]").forEach(i -> body.put(i.attr("name"), i.attr("value")));
        return browser.post(form.attr("action"), body);
    }

    private static void assertErrorAt(Document page, String fieldId, String errorStart) {
        Element field = page.getElementById(fieldId);
        assertThat(field).as("field %s", fieldId).isNotNull();
        assertThat(field.attr("aria-invalid")).as("%s is marked", fieldId).isEqualTo("true");
        String describedBy = field.attr("aria-describedby");
        assertThat(describedBy).isNotBlank();
        StringBuilder text = new StringBuilder();
        for (String id : describedBy.split("\\s+")) {
            Element e = page.getElementById(id);
            if (e != null) {
                text.append(e.text()).append(' ');
            }
        }
        assertThat(text.toString()).startsWith(errorStart);
    }

    private static String path(String link) {
        assertThat(link).startsWith("http://localhost:8080/");
        return link.substring("http://localhost:8080".length());
    }
}
