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
import com.meltano.auth.support.PeersUnreachable;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * SPEC section 12 with an SMTP server that accepts connections and never answers
 * ({@link com.meltano.auth.support.SilentSmtpServer}): requests are not held up, and each send
 * gives up in time to count as a failed attempt, retried with the growing delay, rather than
 * aborting the transaction that holds the outbox row. The send timeout is shortened by the profile
 * to keep the test short; {@link MailerConfigSourceFactoryTest} checks that the default is well
 * within the transaction's.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(PeersUnreachable.class)
class SmtpNoAnswerTest {

    @Inject
    DataSource dataSource;

    @Test
    void sendWhenServerNeverAnswersThenRequestUnaffectedAndAttemptCountedForRetry() throws Exception {
        String email = Browser.uniqueEmail("silent");
        UUID user = UUID.fromString(Browser.createUser(email, Browser.PASSWORD));
        MailOutboxExpiryTest.Warnings warnings = new MailOutboxExpiryTest.Warnings();
        Logger.getLogger(OutboxSender.class.getName()).addHandler(warnings);
        List<String> lines;
        try {
            Browser browser = new Browser();
            Response page = browser.get("/forgot-password");
            Response sent = browser.post("/forgot-password", Map.of("email", email, "csrf", Browser.csrf(page)));
            assertThat(Browser.ourPath(sent.header("Location"))).isEqualTo("/forgot-password?sent=1");

            Instant end = Instant.now().plus(Duration.ofSeconds(60));
            while (Database.count(dataSource, "select count(*) from mail_outbox where user_id = ? and attempts > 0", user) == 0) {
                assertThat(Instant.now()).as("a failed attempt is recorded; warnings: %s", warnings.lines).isBefore(end);
                Thread.sleep(200);
            }
            lines = List.copyOf(warnings.lines);
        } finally {
            Logger.getLogger(OutboxSender.class.getName()).removeHandler(warnings);
        }
        assertThat(Database.count(dataSource, "select count(*) from mail_outbox where user_id = ? and next_attempt_at > now()", user))
                .as("queued, with its next try later").isEqualTo(1);
        assertThat(lines).anyMatch(l -> l.matches("mail \\d+ not sent \\(attempt 1: TimeoutException\\); next try in 5 s"));
        assertThat(lines).noneMatch(l -> l.startsWith("mail outbox not processed now"));
    }
}
