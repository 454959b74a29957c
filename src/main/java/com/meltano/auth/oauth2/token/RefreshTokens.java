package com.meltano.auth.oauth2.token;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.ExpiringRows;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.ScopeArrays;
import com.meltano.auth.common.Sql;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.oauth2.grant.UserGrant;

/**
 * Refresh tokens (RFC 6749 section 6, RFC 9700 section 4.14): opaque, stored as hashes, rotated on
 * every use; the absolute lifetime is the grant's, the idle lifetime restarts with each rotation.
 */
@ApplicationScoped
public class RefreshTokens implements ExpiringRows {

    /** A stored refresh token as found by its value, with its grant and the grant's user. */
    public record Stored(byte[] hash, Set<String> scopes, Instant expiresAt, Instant idleExpiresAt, boolean used, UserGrant grant) {

        /** Past its absolute or its idle lifetime. */
        public boolean expired(Instant now) {
            return !expiresAt.isAfter(now) || !idleExpiresAt.isAfter(now);
        }
    }

    @Inject
    Sql db;

    @Inject
    AuthConfig config;

    public String issue(UUID grantId, Set<String> scopes, Instant grantExpiresAt) {
        String token = OpaqueTokens.newToken();
        db.query("insert into refresh_token (token_hash, grant_id, scopes, expires_at, idle_expires_at)"
                + " values (?1, ?2, cast(?3 as text[]), ?4, ?5)")
                .bind(1, OpaqueTokens.hash(token)).bind(2, grantId)
                .bind(3, ScopeArrays.literal(scopes))
                .bind(4, grantExpiresAt).bind(5, idleExpiry(grantExpiresAt)).update();
        return token;
    }

    /** The token with its grant and user, in one round trip; null when unknown. */
    public Stored find(String token) {
        List<Object[]> rows = db.query("select rt.token_hash, array_to_string(rt.scopes, ' '), rt.expires_at,"
                + " rt.idle_expires_at, rt.used_at is not null, " + UserGrant.COLUMNS + " from refresh_token rt join oauth_grant g on g.id = rt.grant_id"
                + " left join app_user u on u.id = g.user_id where rt.token_hash = ?1")
                .bind(1, OpaqueTokens.hash(token)).list();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] r = rows.get(0);
        return new Stored((byte[]) r[0], ScopeArrays.fromJoined((String) r[1]), (Instant) r[2], (Instant) r[3], (Boolean) r[4],
                UserGrant.of(r, 5));
    }

    /**
     * Uses up {@code used} and stores its successor for the whole grant scope, in one statement;
     * null when another request used it first (a replay or a race). A concurrent rotation of the
     * same token waits on the row lock, then finds it used.
     */
    public String rotate(Stored used) {
        String token = OpaqueTokens.newToken();
        UserGrant grant = used.grant();
        int stored = db.query("with used as (update refresh_token set used_at = now()"
                + " where token_hash = ?1 and used_at is null returning grant_id)"
                + " insert into refresh_token (token_hash, grant_id, scopes, expires_at, idle_expires_at)"
                + " select ?2, grant_id, cast(?3 as text[]), ?4, ?5 from used")
                .bind(1, used.hash()).bind(2, OpaqueTokens.hash(token))
                .bind(3, ScopeArrays.literal(grant.scopes())).bind(4, grant.expiresAt())
                .bind(5, idleExpiry(grant.expiresAt())).update();
        return stored == 1 ? token : null;
    }

    private Instant idleExpiry(Instant grantExpiresAt) {
        Instant idle = Instant.now().plus(config.auth().refreshTokenIdleTtl());
        return idle.isBefore(grantExpiresAt) ? idle : grantExpiresAt;
    }

    @Override
    @Transactional
    public int deleteExpired(Instant cutoff) {
        return db.query("delete from refresh_token where expires_at < ?1").bind(1, cutoff).update();
    }
}
