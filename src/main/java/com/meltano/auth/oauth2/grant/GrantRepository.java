package com.meltano.auth.oauth2.grant;

import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.ExpiringRows;

/**
 * Grants: create, find, and revoke in bulk when a user, a client, a secret or a session changes. The
 * only writer of revocations in {@code oauth_grant}: every feature that ends grants asks here.
 */
@ApplicationScoped
public class GrantRepository implements ExpiringRows {

    /** How long one service grant is reused: the grant is what revocation acts on, not the token. */
    static final Duration SERVICE_GRANT_LIFETIME = Duration.ofDays(1);

    @Inject
    EntityManager em;

    public void save(GrantEntity grant) {
        em.persist(grant);
    }

    public GrantEntity findById(UUID id) {
        return em.find(GrantEntity.class, id);
    }

    /**
     * A client's own grant for exactly {@code scopes} that stays valid at least until
     * {@code neededUntil}: an unrevoked one when it exists, else a new one of a day. One grant per
     * (client, scope set) rather than one row per token keeps a write off the hottest path.
     */
    public ServiceGrant findOrCreateServiceGrant(String clientId, Set<String> scopes, Instant neededUntil) {
        String[] scopeArray = scopes.stream().sorted().toArray(String[]::new);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, expires_at from oauth_grant where client_id = ?1 and user_id is null"
                + " and revoked_at is null and expires_at > ?2 and array_to_string(scopes, ' ') = ?3 order by expires_at desc limit 1")
                .setParameter(1, clientId).setParameter(2, neededUntil).setParameter(3, String.join(" ", scopeArray))
                .getResultList();
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
        em.persist(g);
        return new ServiceGrant(g.id, g.expiresAt);
    }

    /** The grant with its user's state, in one round trip; null when unknown. */
    public UserGrant findUserGrant(UUID id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select " + UserGrant.COLUMNS
                + " from oauth_grant g left join app_user u on u.id = g.user_id where g.id = ?1")
                .setParameter(1, id).getResultList();
        return rows.isEmpty() ? null : UserGrant.of(rows.get(0), 0);
    }

    /** Every grant of the user, oldest first, as the GDPR export lists them. */
    public List<ExportedGrant> ofUser(UUID userId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, client_id, array_to_string(scopes, ' '), created_at, expires_at,"
                + " revoked_at is not null from oauth_grant where user_id = ?1 order by created_at").setParameter(1, userId)
                .getResultList();
        return rows.stream().map(r -> new ExportedGrant((UUID) r[0], (String) r[1], (String) r[2], (Instant) r[3],
                (Instant) r[4], (Boolean) r[5])).toList();
    }

    /**
     * Whether an access token may still be honoured: its grant exists, is not revoked and has not
     * expired, and the token itself is not on the revocation list (RFC 7009). One round trip.
     */
    public boolean isTokenActive(UUID grantId, String jti, Instant now) {
        return (Boolean) em.createNativeQuery("select exists (select 1 from oauth_grant where id = ?1 and revoked_at is null"
                + " and expires_at > ?2) and not exists (select 1 from revoked_access_token where jti = ?3)")
                .setParameter(1, grantId).setParameter(2, now).setParameter(3, jti).getSingleResult();
    }

    /** Puts one access token on the revocation list until it would have expired anyway. */
    public void revokeAccessToken(String jti, Instant expiresAt) {
        em.createNativeQuery("insert into revoked_access_token (jti, expires_at) values (?1, ?2) on conflict do nothing")
                .setParameter(1, jti).setParameter(2, expiresAt).executeUpdate();
    }

    /** Revokes one grant: every code, refresh token and access token it issued stops working. */
    public int revoke(UUID grantId, Instant now) {
        return em.createNativeQuery("update oauth_grant set revoked_at = ?2 where id = ?1 and revoked_at is null")
                .setParameter(1, grantId).setParameter(2, now).executeUpdate();
    }

    public int revokeForUser(UUID userId, Instant now) {
        return em.createNativeQuery("update oauth_grant set revoked_at = ?2 where user_id = ?1 and revoked_at is null")
                .setParameter(1, userId).setParameter(2, now).executeUpdate();
    }

    /** A password change in session {@code keepSid}: the grants of every other session end, its own stay. */
    public int revokeForUserExceptSession(UUID userId, String keepSid, Instant now) {
        return em.createNativeQuery("update oauth_grant set revoked_at = ?3 where user_id = ?1 and revoked_at is null"
                + " and (session_id is null or session_id <> ?2)").setParameter(1, userId).setParameter(2, keepSid)
                .setParameter(3, now).executeUpdate();
    }

    /** A session ended: its grants end too, except those issued for {@code offline_access} (OIDC Core 11). */
    public int revokeForSession(String sid, Instant now) {
        return em.createNativeQuery("update oauth_grant set revoked_at = ?2 where session_id = ?1 and not offline"
                + " and revoked_at is null").setParameter(1, sid).setParameter(2, now).executeUpdate();
    }

    public int revokeForClient(String clientId, Instant now) {
        return em.createNativeQuery("update oauth_grant set revoked_at = ?2 where client_id = ?1 and revoked_at is null")
                .setParameter(1, clientId).setParameter(2, now).executeUpdate();
    }

    /**
     * Grants expired before the cutoff (a token presented just after expiry still found its grant
     * expired meanwhile), and revocation entries of access tokens that have expired anyway.
     */
    @Override
    @Transactional
    public int deleteExpired(Instant cutoff) {
        return em.createNativeQuery("delete from oauth_grant where expires_at < ?1").setParameter(1, cutoff).executeUpdate()
                + em.createNativeQuery("delete from revoked_access_token where expires_at < ?1").setParameter(1, cutoff)
                        .executeUpdate();
    }
}
