package com.meltano.auth.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.ExpiringRows;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.Sql;

/**
 * SSO sessions in PostgreSQL behind an opaque, HttpOnly cookie: revocable at once on every
 * replica (logout, password change, disabled account), unlike a self-contained cookie. The only
 * writer of {@code user_session}.
 */
@ApplicationScoped
public class Sessions implements ExpiringRows {

    static final Duration LIFETIME = Duration.ofHours(12);

    public record Created(String cookieValue, UserSession session) {
        @Override
        public String toString() {
            return "Created[" + session.sid() + "]";
        }
    }

    @Inject
    Sql db;

    /**
     * A person just proved who they are, by any way of signing in: the session the browser had
     * before ends (no session fixation, and never two people in one browser), a new one starts.
     */
    @Transactional
    public Created replace(String previousCookie, UUID userId, UserSession.AuthMethod method) {
        current(previousCookie).ifPresent(this::revoke);
        String cookie = OpaqueTokens.newToken();
        byte[] idHash = OpaqueTokens.hash(cookie);
        String sid = OpaqueTokens.newToken().substring(0, 22);
        String csrf = OpaqueTokens.newToken();
        Instant authTime = Instant.now();
        String email = (String) db.query("insert into user_session (id_hash, sid, user_id, auth_time, csrf, expires_at, auth_method)"
                + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7) returning (select email from app_user where id = ?3)")
                .bind(1, idHash).bind(2, sid).bind(3, userId).bind(4, authTime)
                .bind(5, csrf).bind(6, authTime.plus(LIFETIME)).bind(7, method.column()).single();
        return new Created(cookie, new UserSession(idHash, sid, userId, email, authTime, csrf, method));
    }

    /** The live session of this cookie, if its user still exists and is enabled. */
    @Transactional
    public Optional<UserSession> current(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty()) {
            return Optional.empty();
        }
        byte[] idHash = OpaqueTokens.hash(cookieValue);
        List<Object[]> rows = db.query("select s.sid, s.user_id, u.email, s.auth_time, s.csrf, s.auth_method"
                + " from user_session s join app_user u on u.id = s.user_id"
                + " where s.id_hash = ?1 and s.revoked_at is null and s.expires_at > now() and u.enabled")
                .bind(1, idHash).list();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        return Optional.of(new UserSession(idHash, (String) r[0], (UUID) r[1], (String) r[2], (Instant) r[3], (String) r[4],
                UserSession.AuthMethod.ofColumn((String) r[5])));
    }

    @Transactional
    public void revoke(UserSession session) {
        db.query("update user_session set revoked_at = now() where id_hash = ?1 and revoked_at is null")
                .bind(1, session.idHash()).update();
    }

    /** Every session of the user ends (an admin set the password or disabled the account). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void revokeAllOf(UUID userId) {
        db.query("update user_session set revoked_at = now() where user_id = ?1 and revoked_at is null")
                .bind(1, userId).update();
    }

    /** Every session of the user but {@code keepSid} ends (the person changed their own password there). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void revokeOthersOf(UUID userId, String keepSid) {
        db.query("update user_session set revoked_at = now() where user_id = ?1 and revoked_at is null and sid <> ?2")
                .bind(1, userId).bind(2, keepSid).update();
    }

    @Override
    @Transactional
    public int deleteExpired(Instant cutoff) {
        return db.query("delete from user_session where expires_at < ?1").bind(1, cutoff).update();
    }
}
