package com.meltano.auth.oauth2.grant;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.client.RegisteredClient;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Grants behind {@code client_credentials} tokens. One grant per (client, scope set) is reused
 * for a day rather than one row per token: the grant is what revocation acts on, and a row per
 * token would put a database write on the hottest path.
 */
@ApplicationScoped
public class ServiceGrants {

    static final Duration LIFETIME = Duration.ofDays(1);

    @Inject
    EntityManager em;

    /** A grant that stays valid at least until {@code neededUntil}. */
    public RegisteredClient.ServiceGrant forClient(RegisteredClient client, Set<String> scopes, Instant neededUntil) {
        String key = Scopes.join(scopes);
        RegisteredClient.ServiceGrant cached = client.serviceGrants().get(key);
        if (cached != null && cached.expiresAt().isAfter(neededUntil)) {
            return cached;
        }
        RegisteredClient.ServiceGrant grant = QuarkusTransaction.requiringNew().call(() -> findOrCreate(client.clientId(), scopes, neededUntil));
        client.serviceGrants().put(key, grant);
        return grant;
    }

    private RegisteredClient.ServiceGrant findOrCreate(String clientId, Set<String> scopes, Instant neededUntil) {
        String[] scopeArray = scopes.stream().sorted().toArray(String[]::new);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, expires_at from oauth_grant where client_id = ?1 and user_id is null"
                + " and revoked_at is null and expires_at > ?2 and array_to_string(scopes, ' ') = ?3 order by expires_at desc limit 1")
                .setParameter(1, clientId).setParameter(2, neededUntil).setParameter(3, String.join(" ", scopeArray))
                .getResultList();
        if (!rows.isEmpty()) {
            return new RegisteredClient.ServiceGrant((UUID) rows.get(0)[0], (Instant) rows.get(0)[1]);
        }
        GrantEntity g = new GrantEntity();
        g.id = UUID.randomUUID();
        g.clientId = clientId;
        g.subject = clientId;
        g.scopes = List.of(scopeArray);
        g.createdAt = Instant.now();
        g.expiresAt = g.createdAt.plus(LIFETIME);
        em.persist(g);
        return new RegisteredClient.ServiceGrant(g.id, g.expiresAt);
    }
}
