package com.meltano.auth.oauth2.client;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;


import com.meltano.auth.common.DatabaseNotifications;
import com.meltano.auth.rbac.RbacChanged;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.Subject;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Per-replica cache of {@link RegisteredClient} snapshots for the token endpoint. Correctness
 * across replicas comes from PostgreSQL {@code LISTEN/NOTIFY} ({@link DatabaseNotifications}):
 * every change to a client, a role or a permission sends a notification in its own transaction,
 * delivered to all replicas when it commits; each replica evicts on receipt. If the listening
 * connection drops, the whole cache is cleared and bypassed until it is back, so a missed
 * notification can never keep a stale secret.
 */
@ApplicationScoped
public class ClientCache implements DatabaseNotifications.Subscriber {

    static final String CHANNEL = "meltano_auth_clients";
    static final String ALL = "*";

    @Inject
    EntityManager em;

    @Inject
    RbacRepository rbac;

    @Inject
    ClientOrigins origins;

    @Inject
    DatabaseNotifications notifications;

    private final ConcurrentMap<String, RegisteredClient> entries = new ConcurrentHashMap<>();
    /** Bumped on every eviction, so that a load racing with a change never caches the old state. */
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;

    /** The client, from memory when the cache is trustworthy, else from the database. */
    public Optional<RegisteredClient> find(String clientId) {
        RegisteredClient cached = entries.get(clientId);
        if (cached != null && listening) {
            return Optional.of(cached);
        }
        long before = generation.get();
        Optional<RegisteredClient> loaded = QuarkusTransaction.joiningExisting().call(() -> load(clientId));
        if (listening && generation.get() == before) {
            loaded.ifPresent(c -> entries.put(clientId, c));
        }
        return loaded;
    }

    /** Evicts locally now and, when the surrounding transaction commits, on every replica. */
    public void evictAfterCommit(String clientId) {
        generation.incrementAndGet();
        entries.remove(clientId);
        notifications.notifyAfterCommit(CHANNEL, clientId);
    }

    /** Evicts the client everywhere now, in a transaction of its own (e.g. after a failed authentication). */
    public void evictEverywhere(String clientId) {
        QuarkusTransaction.requiringNew().run(() -> evictAfterCommit(clientId));
    }

    void onRbacChange(@Observes RbacChanged change) {
        clearAll();
        notifications.notifyAfterCommit(CHANNEL, ALL);
    }

    private void clearAll() {
        generation.incrementAndGet();
        entries.clear();
    }

    private Optional<RegisteredClient> load(String clientId) {
        ClientEntity c = em.find(ClientEntity.class, clientId);
        if (c == null) {
            return Optional.empty();
        }
        return Optional.of(new RegisteredClient(c.clientId, c.name, c.secretHash, c.tokenEndpointAuthMethod,
                Set.copyOf(c.grantTypes), Set.copyOf(c.scopes), List.copyOf(c.redirectUris), c.adminApi, c.firstParty, c.enabled,
                rbac.authorities(Subject.CLIENT, c.clientId), hasThrottleRecords(clientId), new ConcurrentHashMap<>()));
    }

    private boolean hasThrottleRecords(String clientId) {
        return !em.createNativeQuery("select 1 from auth_throttle where kind = 'CLIENT' and subject = ?1 limit 1")
                .setParameter(1, clientId).getResultList().isEmpty();
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public void connected() {
        clearAll();
        listening = true;
    }

    @Override
    public void received(List<String> payloads) {
        origins.refresh(); // redirect URIs may have changed: CORS follows at once
        for (String payload : payloads) {
            generation.incrementAndGet();
            if (ALL.equals(payload)) {
                entries.clear();
            } else {
                entries.remove(payload);
            }
        }
    }

    @Override
    public void disconnected() {
        listening = false;
        clearAll();
    }
}
