package com.meltano.auth.mail;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.meltano.auth.keys.KeyEncryptionService;

/**
 * The mail outbox (SPEC section 12), owner of table {@code mail_outbox}: a mail is queued in the
 * transaction of the change that causes it, so it exists exactly when the change committed, and
 * an SMTP outage neither fails the request nor loses the mail. {@link OutboxSender} sends it after
 * commit. The row holds the mail sealed under the key-encryption key (AES-GCM, the row's purpose as
 * associated data): its body carries a single-use link, and links are never stored in clear.
 */
@ApplicationScoped
public class MailOutbox {

    static final String SEALED_FOR = "mail_outbox";

    @Inject
    EntityManager em;

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
        em.createNativeQuery("insert into mail_outbox (user_id, kek_id, sealed, created_at, expires_at, next_attempt_at)"
                + " values (?1, ?2, ?3, ?4, ?5, ?4)")
                .setParameter(1, userId).setParameter(2, encryption.currentKeyId()).setParameter(3, sealed)
                .setParameter(4, now).setParameter(5, now.plus(validFor)).executeUpdate();
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
        em.createNativeQuery("select count(*) from mail_outbox where id = -1").getSingleResult();
    }

    private byte[] serialize(Mail mail) {
        try {
            return json.writeValueAsBytes(mail);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a mail", e);
        }
    }

    Mail open(String kekId, byte[] sealed) {
        try {
            return json.readValue(encryption.decrypt(kekId, sealed, SEALED_FOR), Mail.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a queued mail", e);
        }
    }
}
