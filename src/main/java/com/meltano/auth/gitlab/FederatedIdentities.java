package com.meltano.auth.gitlab;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Links between GitLab identities and local accounts, keyed by (GitLab issuer, GitLab sub). */
@ApplicationScoped
public class FederatedIdentities {

    @Inject
    EntityManager em;

    public Optional<UUID> userOf(String issuer, String subject) {
        @SuppressWarnings("unchecked")
        List<UUID> rows = em.createNativeQuery("select user_id from federated_identity where issuer = ?1 and subject = ?2")
                .setParameter(1, issuer).setParameter(2, subject).getResultList();
        return rows.stream().findFirst();
    }

    /** Links the identity; false when it already belongs to an account (then nothing changes). */
    public boolean link(GitLabIdentity identity, UUID userId) {
        return em.createNativeQuery("insert into federated_identity (issuer, subject, user_id, email, username)"
                + " values (?1, ?2, ?3, ?4, ?5) on conflict do nothing")
                .setParameter(1, identity.issuer()).setParameter(2, identity.subject()).setParameter(3, userId)
                .setParameter(4, identity.email()).setParameter(5, identity.username()).executeUpdate() == 1;
    }

    /** What GitLab said at this login (email and username may have changed there). */
    public void touch(GitLabIdentity identity) {
        em.createNativeQuery("update federated_identity set email = ?3, username = ?4, last_login_at = now()"
                + " where issuer = ?1 and subject = ?2")
                .setParameter(1, identity.issuer()).setParameter(2, identity.subject())
                .setParameter(3, identity.email()).setParameter(4, identity.username()).executeUpdate();
    }

    public int unlinkAll(UUID userId) {
        return em.createNativeQuery("delete from federated_identity where user_id = ?1").setParameter(1, userId).executeUpdate();
    }

    public boolean hasAny(UUID userId) {
        return ((Number) em.createNativeQuery("select count(*) from federated_identity where user_id = ?1")
                .setParameter(1, userId).getSingleResult()).longValue() > 0;
    }
}
