package com.meltano.auth.oauth2.grant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.ExpiringRows;
import com.meltano.auth.common.Sql;
import com.meltano.auth.common.SqlStatement;

/**
 * Grants: create, find, and revoke in bulk when a user, a client, a secret or a session changes. The
 * only writer of revocations in {@code oauth_grant}: every feature that ends grants asks here.
 */
@ApplicationScoped
public class GrantRepository implements ExpiringRows {

    /** How long one service grant is reused: the grant is what revocation acts on, not the token. */
    static final Duration SERVICE_GRANT_LIFETIME = Duration.ofDays(1);

    @Inject
    Sql db;

    private static final String COLUMNS = "id, client_id, user_id, subject, scopes, session_id, auth_time, created_at,"
            + " expires_at, revoked_at, offline";

    public void save(GrantEntity g) {
        db.query("insert into oauth_grant (" + COLUMNS + ") values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
                .bind(1, g.id).bind(2, g.clientId).bind(3, g.userId).bind(4, g.subject).bind(5, g.scopes.toArray(String[]::new))
                .bind(6, g.sessionId).bind(7, g.authTime).bind(8, g.createdAt).bind(9, g.expiresAt).bind(10, g.revokedAt)
                .bind(11, g.offline).update();
    }

    /** The grant, or null when there is none. */
    public GrantEntity findById(UUID id) {
        return db.query("select " + COLUMNS + " from oauth_grant where id = ?1").bind(1, id).first(GrantRepository::row)
                .orElse(null);
    }

    private static GrantEntity row(ResultSet rs) throws SQLException {
        GrantEntity g = new GrantEntity();
        g.id = rs.getObject("id", UUID.class);
        g.clientId = rs.getString("client_id");
        g.userId = rs.getObject("user_id", UUID.class);
        g.subject = rs.getString("subject");
        g.scopes = SqlStatement.strings(rs, "scopes");
        g.sessionId = rs.getString("session_id");
        g.authTime = SqlStatement.instant(rs, "auth_time");
        g.createdAt = SqlStatement.instant(rs, "created_at");
        g.expiresAt = SqlStatement.instant(rs, "expires_at");
        g.revokedAt = SqlStatement.instant(rs, "revoked_at");
        g.offline = rs.getBoolean("offline");
        return g;
    }

    /**
     * A client's own grant for exactly {@code scopes} that stays valid at least until
     * {@code neededUntil}: an unrevoked one when it exists, else a new one of a day. One grant per
     * (client, scope set) rather than one row per token keeps a write off the hottest path.
     */
    public ServiceGrant findOrCreateServiceGrant(String clientId, Set<String> scopes, Instant neededUntil) {
        String[] scopeArray = scopes.stream().sorted().toArray(String[]::new);
        List<Object[]> rows = db.query("select id, expires_at from oauth_grant where client_id = ?1 and user_id is null"
                + " and revoked_at is null and expires_at > ?2 and array_to_string(scopes, ' ') = ?3 order by expires_at desc limit 1")
                .bind(1, clientId).bind(2, neededUntil).bind(3, String.join(" ", scopeArray))
                .list();
        if (!rows.isEmpty()) {
            return new ServiceGrant((UUID) rows.get(0)[0], (Instant) rows.get(0)[1]);
        }
        GrantEntity g = new GrantEntity();
        g.id = UUID.randomUUID();
        g.clientId = clientId;
        g.subject = clientId;
        g.scopes = List.of(scopeArray);
        g.createdAt = Instant.now();
        g.expiresAt = g.createdAt.plus(SERVICE_GRANT_LIFETIME);
        save(g);
        return new ServiceGrant(g.id, g.expiresAt);
    }

    /** The grant with its user's state, in one round trip; null when unknown. */
    public UserGrant findUserGrant(UUID id) {
        List<Object[]> rows = db.query("select " + UserGrant.COLUMNS
                + " from oauth_grant g left join app_user u on u.id = g.user_id where g.id = ?1")
                .bind(1, id).list();
        return rows.isEmpty() ? null : UserGrant.of(rows.get(0), 0);
    }

    /** Every grant of the user, oldest first, as the GDPR export lists them. */
    public List<ExportedGrant> ofUser(UUID userId) {
        List<Object[]> rows = db.query("select id, client_id, array_to_string(scopes, ' '), created_at, expires_at,"
                + " revoked_at is not null from oauth_grant where user_id = ?1 order by created_at").bind(1, userId)
                .list();
        return rows.stream().map(r -> new ExportedGrant((UUID) r[0], (String) r[1], (String) r[2], (Instant) r[3],
                (Instant) r[4], (Boolean) r[5])).toList();
    }

    /**
     * Whether an access token may still be honoured: its grant exists, is not revoked and has not
     * expired, and the token itself is not on the revocation list (RFC 7009). One round trip.
     */
    public boolean isTokenActive(UUID grantId, String jti, Instant now) {
        return (Boolean) db.query("select exists (select 1 from oauth_grant where id = ?1 and revoked_at is null"
                + " and expires_at > ?2) and not exists (select 1 from revoked_access_token where jti = ?3)")
                .bind(1, grantId).bind(2, now).bind(3, jti).single();
    }

    /** Puts one access token on the revocation list until it would have expired anyway. */
    public void revokeAccessToken(String jti, Instant expiresAt) {
        db.query("insert into revoked_access_token (jti, expires_at) values (?1, ?2) on conflict do nothing")
                .bind(1, jti).bind(2, expiresAt).update();
    }

    /** Revokes one grant: every code, refresh token and access token it issued stops working. */
    public int revoke(UUID grantId, Instant now) {
        return db.query("update oauth_grant set revoked_at = ?2 where id = ?1 and revoked_at is null")
                .bind(1, grantId).bind(2, now).update();
    }

    public int revokeForUser(UUID userId, Instant now) {
        return db.query("update oauth_grant set revoked_at = ?2 where user_id = ?1 and revoked_at is null")
                .bind(1, userId).bind(2, now).update();
    }

    /** A password change in session {@code keepSid}: the grants of every other session end, its own stay. */
    public int revokeForUserExceptSession(UUID userId, String keepSid, Instant now) {
        return db.query("update oauth_grant set revoked_at = ?3 where user_id = ?1 and revoked_at is null"
                + " and (session_id is null or session_id <> ?2)").bind(1, userId).bind(2, keepSid)
                .bind(3, now).update();
    }

    /** A session ended: its grants end too, except those issued for {@code offline_access} (OIDC Core 11). */
    public int revokeForSession(String sid, Instant now) {
        return db.query("update oauth_grant set revoked_at = ?2 where session_id = ?1 and not offline"
                + " and revoked_at is null").bind(1, sid).bind(2, now).update();
    }

    public int revokeForClient(String clientId, Instant now) {
        return db.query("update oauth_grant set revoked_at = ?2 where client_id = ?1 and revoked_at is null")
                .bind(1, clientId).bind(2, now).update();
    }

    /**
     * Grants expired before the cutoff (a token presented just after expiry still found its grant
     * expired meanwhile), and revocation entries of access tokens that have expired anyway.
     */
    @Override
    @Transactional
    public int deleteExpired(Instant cutoff) {
        return db.query("delete from oauth_grant where expires_at < ?1").bind(1, cutoff).update()
                + db.query("delete from revoked_access_token where expires_at < ?1").bind(1, cutoff)
                        .update();
    }
}
