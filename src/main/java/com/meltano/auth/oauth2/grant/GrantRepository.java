package com.meltano.auth.oauth2.grant;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Grants: create, find, and revoke in bulk when a user, a client or a secret changes. */
@ApplicationScoped
public class GrantRepository {

    @Inject
    EntityManager em;

    public void save(GrantEntity grant) {
        em.persist(grant);
    }

    public GrantEntity findById(UUID id) {
        return em.find(GrantEntity.class, id);
    }

    /** Whether the grant exists, is not revoked and has not expired. */
    public boolean isActive(UUID id, Instant now) {
        Number n = (Number) em.createNativeQuery(
                "select count(*) from oauth_grant where id = ?1 and revoked_at is null and expires_at > ?2")
                .setParameter(1, id).setParameter(2, now).getSingleResult();
        return n.intValue() == 1;
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

    public int revokeForClient(String clientId, Instant now) {
        return em.createNativeQuery("update oauth_grant set revoked_at = ?2 where client_id = ?1 and revoked_at is null")
                .setParameter(1, clientId).setParameter(2, now).executeUpdate();
    }
}
