package com.meltano.auth.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.meltano.auth.common.BackgroundJob;
import com.meltano.auth.common.BackgroundJobs;
import com.meltano.auth.common.RunMode;
import com.meltano.auth.common.Sql;
import com.meltano.auth.keys.KeyEncryption;

import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vertx.ext.mail.SMTPException;

/**
 * Sends the outbox (SPEC section 12): right after the commit that queued a mail, and every few
 * seconds for retries. Each mail is sent inside a transaction that holds its row with
 * {@code FOR UPDATE SKIP LOCKED}, so with several replicas exactly one sends it; the row is deleted
 * in the same transaction once the SMTP server accepted the mail. A failed send is retried with a
 * growing delay (5 s doubling up to 15 min) until the mail's expiry, then dropped with a warning.
 * Logs name the row, never the recipient, the subject's link or the body.
 */
@ApplicationScoped
public class OutboxSender {

    private static final Logger LOG = Logger.getLogger(OutboxSender.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(15);
    /** Mails sent per pass, so that a large backlog does not hold one scheduler thread for ever. */
    private static final int PASS = 200;

    @Inject
    Sql db;

    /**
     * Resolved at a send, not with this bean: with mail off (the default) the mail client is never
     * built, and this bean, made at its first tick (which may come as the server stops), never
     * builds it outside the job the shutdown waits for ({@code BackgroundJob}): it needs an event
     * loop, closed by then.
     */
    @Inject
    Instance<Mailer> mailer;

    @Inject
    MailOutbox outbox;

    @Inject
    MailSettings settings;

    @Inject
    BackgroundJobs jobs;

    @ConfigProperty(name = RunMode.COMMAND_LINE, defaultValue = "false")
    boolean commandLine;

    private final ExecutorService wakeups = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mail-outbox");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean wakeupQueued = new AtomicBoolean();

    /**
     * A mail was just committed: send it now rather than at the next tick (a second wake-up in
     * between is folded in). A background job like the tick: a send under way when the server
     * stops finishes (its row deleted, so it is not sent again after the restart), and none starts.
     */
    void wake() {
        if (!settings.on() || commandLine || !wakeupQueued.compareAndSet(false, true)) {
            return;
        }
        wakeups.execute(() -> {
            wakeupQueued.set(false);
            jobs.run("OutboxSender.wake", () -> {
                sendDue();
                return null;
            });
        });
    }

    @BackgroundJob
    @Scheduled(every = "5s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (settings.on()) {
            sendDue();
        }
    }

    /** Sends what is due, one row per transaction, until nothing due is left unlocked. */
    public void sendDue() {
        try {
            for (int i = 0; i < PASS; i++) {
                if (!QuarkusTransaction.requiringNew().call(this::sendOne)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            // the database is away: the mails stay queued, the next tick tries again
            LOG.warnf("mail outbox not processed now: %s", e.getClass().getSimpleName());
        }
    }

    private boolean sendOne() {
        List<Object[]> rows = db.query("select id, kek_id, sealed, attempts, expires_at from mail_outbox"
                + " where next_attempt_at <= now() order by next_attempt_at, id limit 1 for update skip locked").list();
        if (rows.isEmpty()) {
            return false;
        }
        Object[] row = rows.get(0);
        long id = ((Number) row[0]).longValue();
        int attempts = ((Number) row[3]).intValue();
        Instant expires = (Instant) row[4];
        if (expires.isBefore(Instant.now())) {
            delete(id);
            LOG.warnf("mail %d dropped unsent after %d attempts: it expired", id, attempts);
            return true;
        }
        Mail mail;
        try {
            mail = outbox.open((String) row[1], (byte[]) row[2]);
        } catch (KeyEncryption.UndecryptableKeyException | MailOutbox.UnreadableMailException e) {
            // for good: this mail can never be sent (any other failure rolls back and keeps it queued:
            // a server stopping under the sender once dropped a mail here that the next start would send)
            delete(id);
            LOG.warnf("mail %d dropped: it cannot be %s", id, e instanceof MailOutbox.UnreadableMailException
                    ? "read" : "decrypted with the configured key-encryption keys");
            return true;
        }
        try {
            mailer.get().send(io.quarkus.mailer.Mail.withText(mail.to(), mail.subject(), mail.text()).setHtml(mail.html())
                    .setFrom(settings.from()));
        } catch (RuntimeException e) {
            Duration wait = retryDelay(attempts + 1);
            db.query("update mail_outbox set attempts = attempts + 1, next_attempt_at = ?2 where id = ?1")
                    .bind(1, id).bind(2, Instant.now().plus(wait)).update();
            LOG.warnf("mail %d not sent (attempt %d: %s); next try in %d s", id, attempts + 1, cause(e), wait.toSeconds());
            return true;
        }
        delete(id);
        LOG.debugf("mail %d sent", id);
        return true;
    }

    private void delete(long id) {
        db.query("delete from mail_outbox where id = ?1").bind(1, id).update();
    }

    /** 5 s, 10 s, 20 s... at most 15 minutes. */
    static Duration retryDelay(int attempt) {
        Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 20));
        return d.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : d;
    }

    /**
     * Why a send failed, for the operator: the SMTP server's reply code, or else the kind of error
     * (a refused connection, a timeout). Never the message: a server's reply may quote the recipient.
     */
    static String cause(Throwable failure) {
        Throwable t = failure;
        while (true) {
            if (t instanceof SMTPException smtp) {
                int code = smtp.getReplyCode();
                return "the SMTP server answered " + code + (code == 530 || code == 534 || code == 535
                        ? ", it refused the login: check MELTANO_AUTH_SMTP_USERNAME and MELTANO_AUTH_SMTP_PASSWORD" : "");
            }
            if (t.getCause() == null || t.getCause() == t) {
                return t.getClass().getSimpleName();
            }
            t = t.getCause();
        }
    }

    @PreDestroy
    void stop() {
        wakeups.shutdownNow();
    }
}
