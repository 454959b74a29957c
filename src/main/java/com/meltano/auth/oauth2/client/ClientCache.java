package com.meltano.auth.oauth2.client;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.meltano.auth.common.DatabaseNotifications;
import com.meltano.auth.rbac.RbacChanged;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.Subject;
import com.meltano.auth.throttle.Throttle;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Per-replica cache of {@link RegisteredClient} snapshots for the token endpoint. Correctness
 * across replicas comes from PostgreSQL {@code LISTEN/NOTIFY} ({@link DatabaseNotifications}):
 * every change to a client, a role or a permission sends a notification in its own transaction,
 * delivered to all replicas when it commits; each replica evicts on receipt. If the listening
 * connection drops, the whole cache is cleared and bypassed until it is back, so a missed
 * notification can never keep a stale secret. A change always yields a new snapshot object, never
 * an updated one: state kept per snapshot (the service grants of {@code client_credentials}) is
 * keyed by its identity and so is dropped with it.
 */
@ApplicationScoped
public class ClientCache implements DatabaseNotifications.Subscriber {

    static final String CHANNEL = "meltano_auth_clients";
    static final String ALL = "*";

    @Inject
    ClientRepository clients;

    @Inject
    RbacRepository rbac;

    @Inject
    ClientOrigins origins;

    @Inject
    DatabaseNotifications notifications;

    @Inject
    Throttle throttle;

    private final ConcurrentMap<String, RegisteredClient> entries = new ConcurrentHashMap<>();
    /** Bumped on every eviction, so that a load racing with a change never caches the old state. */
    private final AtomicLong generation = new AtomicLong();
    /** Requests waiting to see their own notification come back (see {@link #expectEcho}). */
    private final ConcurrentMap<String, Set<CountDownLatch>> echoes = new ConcurrentHashMap<>();
    /** Bounded: with the listener stuck, a failed authentication is answered anyway. */
    static final long ECHO_WAIT_MS = 2_000;
    private volatile boolean listening;

    /** The client, from memory when the cache is trustworthy, else from the database. */
    public Optional<RegisteredClient> find(String clientId) {
        RegisteredClient cached = entries.get(clientId);
        if (cached != null && listening) {
            return Optional.of(cached);
        }
        long before = generation.get();
        Optional<RegisteredClient> loaded = QuarkusTransaction.joiningExisting().call(() -> load(clientId));
        // Check and put in one step under the map's lock for this key: an eviction bumps the
        // generation before it removes, so it either makes this put a no-op or removes what it put.
        // A separate check then put would let a snapshot read before a recorded failure ("no
        // throttle records") land after that failure's eviction and stay.
        loaded.ifPresent(c -> entries.compute(clientId, (id, old) -> listening && generation.get() == before ? c : old));
        return loaded;
    }

    /** Evicts locally now and, when the surrounding transaction commits, on every replica. */
    public void evictAfterCommit(String clientId) {
        generation.incrementAndGet();
        entries.remove(clientId);
        notifications.notifyAfterCommit(CHANNEL, clientId);
    }

    /**
     * Tells every replica, when the surrounding transaction commits, to drop its snapshot of the
     * client; the caller drops its own with {@link #evictLocally} after the commit (before it, a
     * load on this replica could still read the old state and cache it).
     */
    void notifyOnCommit(String clientId) {
        notifications.notifyAfterCommit(CHANNEL, clientId);
    }

    void evictLocally(String clientId) {
        generation.incrementAndGet();
        entries.remove(clientId);
    }

    /**
     * Registers interest in the next notification about the client that this replica's listener
     * receives; {@link Echo#await} waits for it (bounded). PostgreSQL hands a committed
     * notification to every listening session at once, so seeing our own arrive is the best
     * available sign that the other replicas' listeners have it too.
     */
    Echo expectEcho(String clientId) {
        CountDownLatch latch = new CountDownLatch(1);
        echoes.compute(clientId, (id, waiting) -> {
            Set<CountDownLatch> set = waiting == null ? ConcurrentHashMap.newKeySet() : waiting;
            set.add(latch);
            return set;
        });
        return new Echo(clientId, latch);
    }

    final class Echo {
        private final String clientId;
        private final CountDownLatch latch;

        private Echo(String clientId, CountDownLatch latch) {
            this.clientId = clientId;
            this.latch = latch;
        }

        void await() {
            try {
                if (listening) {
                    latch.await(ECHO_WAIT_MS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                echoes.computeIfPresent(clientId, (id, waiting) -> {
                    waiting.remove(latch);
                    return waiting.isEmpty() ? null : waiting;
                });
            }
        }
    }

    private void releaseEchoes(String parameter) {
        if (ALL.equals(parameter)) {
            echoes.values().forEach(waiting -> waiting.forEach(CountDownLatch::countDown));
        } else {
            echoes.computeIfPresent(parameter, (id, waiting) -> {
                waiting.forEach(CountDownLatch::countDown);
                return waiting;
            });
        }
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
        ClientEntity c = clients.find(clientId);
        if (c == null) {
            return Optional.empty();
        }
        return Optional.of(new RegisteredClient(c.clientId, c.name, c.secretHash, c.tokenEndpointAuthMethod,
                Set.copyOf(c.grantTypes), Set.copyOf(c.scopes), List.copyOf(c.redirectUris), c.adminApi, c.firstParty, c.enabled,
                rbac.authorities(Subject.CLIENT, c.clientId), throttle.hasRecords(Throttle.Kind.CLIENT, clientId),
                c.sectorIdentifier));
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
            releaseEchoes(payload);
        }
    }

    @Override
    public void disconnected() {
        listening = false;
        clearAll();
    }
}
