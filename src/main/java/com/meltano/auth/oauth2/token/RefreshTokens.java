package com.meltano.auth.oauth2.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.ScopeArrays;
import com.meltano.auth.config.AuthConfig;

/**
 * Refresh tokens (RFC 6749 section 6, RFC 9700 section 4.14): opaque, stored as hashes, rotated on
 * every use; the absolute lifetime is the grant's, the idle lifetime restarts with each rotation.
 */
@ApplicationScoped
public class RefreshTokens {

    /** A stored refresh token as found by its value. */
    public record Stored(byte[] hash, UUID grantId, Set<String> scopes, Instant expiresAt, Instant idleExpiresAt, Instant usedAt) {
    }

    @Inject
    EntityManager em;

    @Inject
    AuthConfig config;

    public String issue(UUID grantId, Set<String> scopes, Instant grantExpiresAt) {
        String token = OpaqueTokens.newToken();
        Duration idle = config.auth().refreshTokenIdleTtl();
        Instant now = Instant.now();
        Instant idleExpiry = now.plus(idle).isBefore(grantExpiresAt) ? now.plus(idle) : grantExpiresAt;
        em.createNativeQuery("insert into refresh_token (token_hash, grant_id, scopes, expires_at, idle_expires_at)"
                + " values (?1, ?2, cast(?3 as text[]), ?4, ?5)")
                .setParameter(1, OpaqueTokens.hash(token)).setParameter(2, grantId)
                .setParameter(3, ScopeArrays.literal(scopes))
                .setParameter(4, grantExpiresAt).setParameter(5, idleExpiry).executeUpdate();
        return token;
    }

    public Stored find(String token) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select token_hash, grant_id, array_to_string(scopes, ' '), expires_at,"
                + " idle_expires_at, used_at from refresh_token where token_hash = ?1")
                .setParameter(1, OpaqueTokens.hash(token)).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] r = rows.get(0);
        Set<String> scopes = ((String) r[2]).isEmpty() ? Set.of() : Set.of(((String) r[2]).split(" "));
        return new Stored((byte[]) r[0], (UUID) r[1], scopes, (Instant) r[3], (Instant) r[4], (Instant) r[5]);
    }

    /** Marks the token used; false when another request used it first (a replay or a race). */
    public boolean markUsed(byte[] hash) {
        return em.createNativeQuery("update refresh_token set used_at = now() where token_hash = ?1 and used_at is null")
                .setParameter(1, hash).executeUpdate() == 1;
    }
}
