package com.meltano.auth.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.support.MailServer;
import com.meltano.auth.support.PostgresTestResource;
import com.meltano.auth.support.VerboseLogs;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * SPEC sections 10 and 12: mail flows leave no secret in the log, with everything turned up (our
 * categories at TRACE, the mailer and its SMTP client at DEBUG, the HTTP access log on, all written
 * to a file from the first line of start-up): not the SMTP password (in clear or as the base64 that SMTP AUTH sends),
 * not a mailed link's token (the link's own URL included), not a password set through a link.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(VerboseLogs.class)
class MailLogSecrecyTest {

    private static final String LINKS = "http://localhost:8080";

    @Test
    void logWhenMailSentWithSmtpLoginAndLinksFollowedThenNoPasswordOrLinkTokenLogged() throws Exception {
        List<String> secrets = new ArrayList<>();
        String smtpPassword = MailServer.WithLogin.PASSWORD;
        secrets.add(smtpPassword);
        secrets.add(base64(smtpPassword)); // AUTH LOGIN
        secrets.add(base64("\0" + MailServer.WithLogin.LOGIN + "\0" + smtpPassword)); // AUTH PLAIN

        // a password reset through its link
        String email = Browser.uniqueEmail("logreset");
        Browser.createUser(email, Browser.PASSWORD);
        Browser browser = new Browser();
        Response forgot = browser.get("/forgot-password");
        browser.post("/forgot-password", Map.of("email", email, "csrf", Browser.csrf(forgot)));
        MailServer.Received reset = MailServer.nth(email, 1);
        assertThat(reset.subject()).as("the mail arrived, so the SMTP login worked").isEqualTo("Set a new password");
        String resetLink = reset.link(LINKS + "/reset-password?token=");
        secrets.addAll(token(resetLink));
        Response page = browser.get(resetLink.substring(LINKS.length()));
        assertThat(page.statusCode()).isEqualTo(200);
        String newPassword = "log-secrecy-new-password-" + System.nanoTime();
        secrets.add(newPassword);
        Response done = submit(browser, page, Map.of("password", newPassword));
        assertThat(Browser.ourPath(done.header("Location"))).isEqualTo("/reset-password?done=1");
        assertThat(MailServer.nth(email, 2).subject()).isEqualTo("Your password was reset");

        // a registration and its verification link
        String registered = Browser.uniqueEmail("logverify");
        String registrationPassword = "log-secrecy-registration-" + System.nanoTime();
        secrets.add(registrationPassword);
        Browser newcomer = new Browser();
        String csrf = newcomer.csrfOf("/register");
        newcomer.post("/register", Map.of("email", registered, "password", registrationPassword, "csrf", csrf));
        String verifyLink = MailServer.nth(registered, 1).link(LINKS + "/verify-email?token=");
        secrets.addAll(token(verifyLink));
        Response verifyPage = newcomer.get(verifyLink.substring(LINKS.length()));
        Response verified = submit(newcomer, verifyPage, Map.of());
        assertThat(verified.statusCode()).isEqualTo(303);
        assertThat(Browser.usersWithEmail(registered).get(0).get("email_verified")).isEqualTo(true);

        Path file = Path.of(ConfigProvider.getConfig().getValue("quarkus.log.file.path", String.class));
        String log = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(log).as("the access log saw the link pages").contains("GET /reset-password").contains("GET /verify-email");
        assertThat(log).as("the outbox logged its sends").contains("OutboxSender");
        for (String secret : secrets) {
            assertThat(log.lines().filter(line -> line.contains(secret)).toList())
                    .as("lines of %s containing a password or link token", file).isEmpty();
        }
    }

    /**
     * The token of a mailed link (what follows {@code token=}), and its first and last 12
     * characters: a mail body written out line by line (quoted-printable) may split the link.
     */
    private static List<String> token(String link) {
        String t = link.substring(link.indexOf("token=") + "token=".length());
        assertThat(t).hasSizeGreaterThan(24);
        return List.of(t, t.substring(0, 12), t.substring(t.length() - 12));
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Posts the page's form as a browser would: its hidden inputs, plus {@code values}. */
    private static Response submit(Browser browser, Response page, Map<String, String> values) {
        var form = Browser.html(page).selectFirst("form");
        Map<String, String> body = new LinkedHashMap<>();
        form.select("input[name]").forEach(i -> body.put(i.attr("name"), i.attr("value")));
        body.putAll(values);
        return browser.post(form.attr("action"), body);
    }
}
