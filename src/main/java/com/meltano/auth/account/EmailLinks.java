package com.meltano.auth.account;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.ExpiringRows;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.Sql;

/**
 * The single-use links that mail carries (SPEC section 12), owner of table {@code email_link}: a
 * 256-bit random token of which only the SHA-256 is stored, one live link per (account, purpose)
 * (a newer link voids the older), an expiry, and use by deletion, so that of two requests (or
 * two replicas) presenting the same link exactly one succeeds.
 */
@ApplicationScoped
public class EmailLinks implements ExpiringRows {

    /** What a link does; a token of one purpose is worthless for another. */
    public enum Purpose {
        /** proves the account's address (registration, resend) */
        VERIFY_EMAIL,
        /** sets a password: a reset, or the first password of an invited account */
        SET_PASSWORD,
        /** proves a new address and makes it the account's */
        CHANGE_EMAIL;

        String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A live link: whose it is, and for an email change the new address; the registration's flow, if any. */
    public record Link(UUID userId, Purpose purpose, String newEmail, String flowId) {
        @Override
        public String toString() {
            return "Link[" + purpose + ", " + userId + "]";
        }
    }

    @Inject
    Sql db;

    /**
     * A new link for {@code userId}, voiding every earlier one of the same purpose; runs in the
     * caller's transaction, with the mail that carries it.
     *
     * @return the token, to be put in the mail and nowhere else
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String issue(UUID userId, Purpose purpose, Duration validFor, String newEmail, String flowId) {
        db.query("delete from email_link where user_id = ?1 and purpose = ?2")
                .bind(1, userId).bind(2, purpose.column()).update();
        String token = OpaqueTokens.newToken();
        Instant now = Instant.now();
        db.query("insert into email_link (token_hash, user_id, purpose, new_email, flow_id, created_at, expires_at)"
                + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .bind(1, OpaqueTokens.hash(token)).bind(2, userId).bind(3, purpose.column())
                .bind(4, newEmail).bind(5, flowId).bind(6, now).bind(7, now.plus(validFor))
                .update();
        return token;
    }

    /** The live link behind {@code token}, without using it (the page a link opens shows a button). */
    @Transactional
    public Optional<Link> peek(Purpose purpose, String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        return first(db.query("select user_id, new_email, flow_id from email_link"
                + " where token_hash = ?1 and purpose = ?2 and expires_at > now()")
                .bind(1, OpaqueTokens.hash(token)).bind(2, purpose.column()).list(), purpose);
    }

    /** Uses the link behind {@code token}: it is gone once this transaction commits; empty when it was not live. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Link> use(Purpose purpose, String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        return first(db.query("delete from email_link where token_hash = ?1 and purpose = ?2 and expires_at > now()"
                + " returning user_id, new_email, flow_id")
                .bind(1, OpaqueTokens.hash(token)).bind(2, purpose.column()).list(), purpose);
    }

    /** Whether the account has a live link for {@code purpose}: one was mailed and can still be used. */
    @Transactional
    public boolean anyLive(UUID userId, Purpose purpose) {
        return !db.query("select 1 from email_link where user_id = ?1 and purpose = ?2 and expires_at > now()")
                .bind(1, userId).bind(2, purpose.column()).list().isEmpty();
    }

    /** Voids every live link of the account for {@code purpose} (e.g. after its password was reset). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void voidAll(UUID userId, Purpose purpose) {
        db.query("delete from email_link where user_id = ?1 and purpose = ?2")
                .bind(1, userId).bind(2, purpose.column()).update();
    }

    @Override
    @Transactional
    public int deleteExpired(Instant cutoff) {
        return db.query("delete from email_link where expires_at < ?1").bind(1, cutoff).update();
    }

    private static Optional<Link> first(List<?> rows, Purpose purpose) {
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new Link((UUID) row[0], purpose, (String) row[1], (String) row[2]));
    }
}
