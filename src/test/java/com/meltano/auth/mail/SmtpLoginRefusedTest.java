package com.meltano.auth.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.MailServer;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * SPEC section 12 with a wrong {@code MELTANO_AUTH_SMTP_PASSWORD}: the request that causes a mail
 * still succeeds, the mail stays queued for a retry, and the log tells the operator what to fix
 * (the server refused the login) without the password or the recipient.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailServer.WrongPassword.class)
class SmtpLoginRefusedTest {

    @Inject
    DataSource dataSource;

    @Test
    void sendWhenSmtpRefusesLoginThenQueuedForRetryAndWarningNamesTheVariables() throws Exception {
        String email = Browser.uniqueEmail("wrong-login");
        UUID user = UUID.fromString(Browser.createUser(email, Browser.PASSWORD));
        MailOutboxExpiryTest.Warnings warnings = new MailOutboxExpiryTest.Warnings();
        Logger.getLogger(OutboxSender.class.getName()).addHandler(warnings);
        List<String> lines;
        try {
            Browser browser = new Browser();
            Response page = browser.get("/forgot-password");
            Response sent = browser.post("/forgot-password", Map.of("email", email, "csrf", Browser.csrf(page)));
            assertThat(Browser.ourPath(sent.header("Location"))).as("a refused login fails no request").isEqualTo("/forgot-password?sent=1");

            Instant end = Instant.now().plus(Duration.ofSeconds(30));
            while (Database.count(dataSource, "select count(*) from mail_outbox where user_id = ? and attempts > 0", user) == 0) {
                assertThat(Instant.now()).as("the first attempt is made").isBefore(end);
                Thread.sleep(100);
            }
            lines = List.copyOf(warnings.lines);
        } finally {
            Logger.getLogger(OutboxSender.class.getName()).removeHandler(warnings);
        }
        assertThat(Database.count(dataSource, "select count(*) from mail_outbox where user_id = ?", user)).as("kept for a retry").isEqualTo(1);
        assertThat(MailServer.to(email)).isEmpty();
        assertThat(lines).anyMatch(l -> l.matches("mail \\d+ not sent \\(attempt 1: the SMTP server answered 535, it refused the login:"
                + " check MELTANO_AUTH_SMTP_USERNAME and MELTANO_AUTH_SMTP_PASSWORD\\); next try in 5 s"));
        assertThat(lines).noneMatch(l -> l.contains(email) || l.contains(MailServer.WrongPassword.CONFIGURED)
                || l.contains(MailServer.WithLogin.PASSWORD));
    }
}
