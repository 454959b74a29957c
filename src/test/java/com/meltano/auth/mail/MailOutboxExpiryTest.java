package com.meltano.auth.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import com.meltano.auth.keys.KeyEncryptionService;
import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.MailAndGitLab;
import com.meltano.auth.support.MailServer;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * SPEC section 12: a queued mail lives only as long as what it says is true. One whose expiry
 * passed while the SMTP server was down (its link has expired by then) is dropped with a warning,
 * and never sent once the server is back. One that can never be opened is dropped too; nothing
 * else drops a mail.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailAndGitLab.class)
class MailOutboxExpiryTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    DataSource dataSource;

    @Inject
    KeyEncryptionService encryption;

    /** Warnings of the outbox's sender, as formatted for the log. */
    static final class Warnings extends Handler {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue() && OutboxSender.class.getName().equals(r.getLoggerName())) {
                lines.add(r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void mailWhenExpiredDuringSmtpOutageThenDroppedWithWarningAndNeverSent() throws Exception {
        String email = Browser.uniqueEmail("expired");
        UUID user = UUID.fromString(Browser.createUser(email, Browser.PASSWORD));
        Warnings warnings = new Warnings();
        Logger.getLogger(OutboxSender.class.getName()).addHandler(warnings);
        MailServer.stopServer();
        boolean restarted = false;
        try {
            Browser browser = new Browser();
            Response page = browser.get("/forgot-password");
            Response sent = browser.post("/forgot-password", Map.of("email", email, "csrf", Browser.csrf(page)));
            assertThat(Browser.ourPath(sent.header("Location"))).isEqualTo("/forgot-password?sent=1");
            long id = (Long) Database.rows(dataSource, "select id from mail_outbox where user_id = ?", user).get(0).get("id");

            // its 30 minutes pass while the server is down: the row is due again, and expired
            assertThat(Database.count(dataSource, "with aged as (update mail_outbox set expires_at = now() - interval '1 second',"
                    + " next_attempt_at = now() - interval '1 second' where id = ? returning id) select count(*) from aged", id))
                    .isEqualTo(1);

            MailServer.startServer();
            restarted = true;
            awaitGone(id);
            assertThat(List.copyOf(warnings.lines)).as("the drop is logged, naming the row only")
                    .anyMatch(l -> l.matches("mail " + id + " dropped unsent after \\d+ attempts: it expired"));
            assertThat(List.copyOf(warnings.lines)).noneMatch(l -> l.contains(email));
        } finally {
            Logger.getLogger(OutboxSender.class.getName()).removeHandler(warnings);
            if (!restarted) {
                MailServer.startServer();
            }
        }
        // the row is gone, so no sender anywhere can send it any more: what arrived is all that ever will
        assertThat(MailServer.to(email)).as("an expired mail is never sent").isEmpty();
    }

    @Test
    void mailWhenNoKeyOpensItOrItIsNotAMailThenDroppedWithWarning() throws Exception {
        UUID user = UUID.fromString(Browser.createUser(Browser.uniqueEmail("unopenable"), Browser.PASSWORD));
        Warnings warnings = new Warnings();
        Logger.getLogger(OutboxSender.class.getName()).addHandler(warnings);
        try {
            // sealed under a key-encryption key this server does not have, and under its own key but not a mail
            long underUnknownKey = queue(user, "retired-kek", new byte[64]);
            long notAMail = queue(user, encryption.currentKeyId(),
                    encryption.encrypt("not a mail".getBytes(StandardCharsets.UTF_8), MailOutbox.SEALED_FOR));
            awaitGone(underUnknownKey);
            awaitGone(notAMail);
            assertThat(List.copyOf(warnings.lines)).as("each drop is logged, naming the row only")
                    .contains("mail " + underUnknownKey + " dropped: it cannot be decrypted with the configured key-encryption keys",
                            "mail " + notAMail + " dropped: it cannot be read");
        } finally {
            Logger.getLogger(OutboxSender.class.getName()).removeHandler(warnings);
        }
    }

    private long queue(UUID user, String kekId, byte[] sealed) throws Exception {
        return (Long) Database.rows(dataSource, "insert into mail_outbox (user_id, kek_id, sealed, created_at, expires_at, next_attempt_at)"
                + " values (?, ?, ?, now(), now() + interval '30 minutes', now()) returning id", user, kekId, sealed).get(0).get("id");
    }

    private void awaitGone(long id) throws InterruptedException {
        Instant end = Instant.now().plus(WAIT);
        while (Database.count(dataSource, "select count(*) from mail_outbox where id = ?", id) > 0) {
            assertThat(Instant.now()).as("the sender's next pass drops mail %d", id).isBefore(end);
            Thread.sleep(100);
        }
    }
}
