package com.meltano.auth.mail;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import com.meltano.auth.common.ServingStarted;
import com.meltano.auth.common.Sql;
import com.meltano.auth.keys.KeyEncryption;
import com.meltano.auth.keys.KeyEncryptionService;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The mail outbox (SPEC section 12), owner of table {@code mail_outbox}: a mail is queued in the
 * transaction of the change that causes it, so it exists exactly when the change committed, and
 * an SMTP outage neither fails the request nor loses the mail. {@link OutboxSender} sends it after
 * commit. The row holds the mail sealed under the key-encryption key (AES-GCM, the row's purpose as
 * associated data): its body carries a single-use link, and links are never stored in clear.
 */
@ApplicationScoped
public class MailOutbox {

    private static final Logger LOG = Logger.getLogger(MailOutbox.class);
    static final String SEALED_FOR = "mail_outbox";

    @Inject
    Sql db;

    @Inject
    KeyEncryptionService encryption;

    @Inject
    ObjectMapper json;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    OutboxSender sender;

    /**
     * Queues {@code mail} about account {@code userId}, in the caller's transaction (required: a
     * mail without the change that caused it, or the reverse, must not happen). It is dropped unsent
     * after {@code validFor} (its link has expired by then, or its news is stale).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void queue(UUID userId, Mail mail, Duration validFor) {
        Instant now = Instant.now();
        byte[] sealed = encryption.encrypt(serialize(mail), SEALED_FOR);
        db.query("insert into mail_outbox (user_id, kek_id, sealed, created_at, expires_at, next_attempt_at)"
                + " values (?1, ?2, ?3, ?4, ?5, ?4)")
                .bind(1, userId).bind(2, encryption.currentKeyId()).bind(3, sealed)
                .bind(4, now).bind(5, now.plus(validFor)).update();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    sender.wake();
                }
            }
        });
    }

    /**
     * Everything {@link #queue} costs but the row: the mail is sealed and the table visited, then
     * nothing is kept. For answers that must take as long whether or not a mail goes out (SPEC
     * section 12: no enumeration by timing).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void rehearse(Mail mail) {
        encryption.encrypt(serialize(mail), SEALED_FOR);
        db.query("select count(*) from mail_outbox where id = -1").single();
    }

    private byte[] serialize(Mail mail) {
        try {
            return json.writeValueAsBytes(mail);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a mail", e);
        }
    }

    /**
     * The queued mail. {@link KeyEncryption.UndecryptableKeyException} when no configured
     * key-encryption key opens it, {@link UnreadableMailException} when what it holds is not a mail:
     * both for good. Any other failure (the server stopping under the sender) says nothing of the mail.
     */
    Mail open(String kekId, byte[] sealed) {
        byte[] plain = encryption.decrypt(kekId, sealed, SEALED_FOR);
        try {
            return json.readValue(plain, Mail.class);
        } catch (IOException e) {
            throw new UnreadableMailException();
        }
    }

    /** A queued mail that decrypts to something that is not a mail. */
    static final class UnreadableMailException extends RuntimeException {
        UnreadableMailException() {
            super("a queued mail is not readable", null, false, false);
        }
    }

    /**
     * A rotation of the key-encryption key re-encrypts at start what is stored under the previous
     * key (SPEC section 3); queued mail too: a mail still waiting (an SMTP outage) when the previous
     * key is removed could not be opened any more and would be dropped unsent. Rows another replica
     * is sending are skipped (they are gone or retried, and the next start takes them).
     */
    void resealOnStart(@Observes ServingStarted event) {
        try {
            int resealed = QuarkusTransaction.requiringNew().call(this::resealStale);
            if (resealed > 0) {
                LOG.infof("re-encrypted %d queued mails under the current key-encryption key", resealed);
            }
        } catch (RuntimeException e) {
            LOG.warnf("queued mails not re-encrypted now: %s", e.getClass().getSimpleName());
        }
    }

    private int resealStale() {
        List<Object[]> rows = db.query("select id, kek_id, sealed from mail_outbox where kek_id <> ?1 for update skip locked")
                .bind(1, encryption.currentKeyId()).list();
        int resealed = 0;
        for (Object[] row : rows) {
            byte[] mail;
            try {
                mail = encryption.decrypt((String) row[1], (byte[]) row[2], SEALED_FOR);
            } catch (RuntimeException e) {
                continue; // no configured key opens it: the sender drops it with a warning
            }
            db.query("update mail_outbox set sealed = ?2, kek_id = ?3 where id = ?1")
                    .bind(1, ((Number) row[0]).longValue()).bind(2, encryption.encrypt(mail, SEALED_FOR))
                    .bind(3, encryption.currentKeyId()).update();
            resealed++;
        }
        return resealed;
    }
}
