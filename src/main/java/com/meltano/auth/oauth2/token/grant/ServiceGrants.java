package com.meltano.auth.oauth2.token.grant;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.oauth2.grant.ServiceGrant;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The grants behind {@code client_credentials} tokens (RFC 6749 section 4.4), remembered per
 * client so that the hottest path needs no database round trip.
 *
 * <p>Why a revoked grant is never handed out again: every change to a client (secret rotated,
 * disabled, deleted, grants revoked, roles changed) makes {@code ClientCache} drop its snapshot on
 * every replica, so the next request carries a new {@link RegisteredClient} object. The memory
 * here belongs to one snapshot, compared by identity (not {@code equals}): a new snapshot finds
 * nothing and asks the database, which returns only unrevoked grants. While the cache is bypassed
 * (listener down) every request has a snapshot of its own, so nothing is reused.
 */
@ApplicationScoped
class ServiceGrants {

    /** Beyond this many clients the memory starts over: a bound against clients long deleted. */
    static final int MAX_CLIENTS = 10_000;

    @Inject
    GrantRepository grants;

    private final ConcurrentMap<String, Remembered> byClient = new ConcurrentHashMap<>();

    /** The grants found for one snapshot of a client, by joined scope set. */
    private record Remembered(RegisteredClient snapshot, Map<String, ServiceGrant> byScopes) {
    }

    /** A grant that stays valid at least until {@code neededUntil}. */
    ServiceGrant forClient(RegisteredClient client, Set<String> scopes, Instant neededUntil) {
        String key = Scopes.join(scopes);
        Remembered remembered = byClient.get(client.clientId());
        if (remembered != null && remembered.snapshot() == client) {
            ServiceGrant cached = remembered.byScopes().get(key);
            if (cached != null && cached.expiresAt().isAfter(neededUntil)) {
                return cached;
            }
        }
        ServiceGrant grant = QuarkusTransaction.requiringNew()
                .call(() -> grants.findOrCreateServiceGrant(client.clientId(), scopes, neededUntil));
        remember(client, key, grant);
        return grant;
    }

    private void remember(RegisteredClient client, String key, ServiceGrant grant) {
        if (byClient.size() >= MAX_CLIENTS) {
            byClient.clear();
        }
        // The entry of another snapshot is replaced, never merged: its grants may have been revoked.
        byClient.compute(client.clientId(), (id, old) -> old != null && old.snapshot() == client
                ? old : new Remembered(client, new ConcurrentHashMap<>()))
                .byScopes().put(key, grant);
    }
}
