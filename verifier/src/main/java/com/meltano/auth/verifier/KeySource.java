package com.meltano.auth.verifier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The issuer's signing keys: the discovery document once (for {@code jwks_uri}), then the JWKS,
 * cached. An unknown {@code kid} triggers at most one refetch per cooldown; keys older than the
 * refresh interval are refetched on use; when the issuer cannot be reached, the keys already held
 * keep working (the issuer may be down; its tokens stay verifiable).
 */
final class KeySource {

    private final String issuer;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration cooldown;
    private final Duration refreshInterval;
    private final Clock clock;

    private volatile URI jwksUri;
    private volatile Map<String, VerificationKey> keys = Map.of();
    private volatile Instant fetchedAt = Instant.MIN;
    private final ReentrantLock lock = new ReentrantLock();
    private Instant lastFailure = Instant.MIN;
    private Instant lastUnknownKidFetch = Instant.MIN;

    KeySource(String issuer, HttpClient http, Duration timeout, Duration cooldown, Duration refreshInterval, Clock clock) {
        this.issuer = issuer;
        this.http = http;
        this.timeout = timeout;
        this.cooldown = cooldown;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
    }

    /** The key with this {@code kid}, or null when the issuer does not publish it (even after a permitted refetch). */
    VerificationKey key(String kid) {
        Instant now = clock.instant();
        VerificationKey key = keys.get(kid);
        if (key != null) {
            // a known key: refresh when due, but never make a request wait for another's refetch
            if (due(now) && lock.tryLock()) {
                try {
                    if (due(now) && mayTry(now)) {
                        fetch(now);
                    }
                } finally {
                    lock.unlock();
                }
            }
            return keys.get(kid);
        }
        lock.lock();
        try {
            if (keys.containsKey(kid)) {
                return keys.get(kid); // another thread's fetch brought it
            }
            boolean loaded = !fetchedAt.equals(Instant.MIN);
            if (mayTry(now) && (!loaded || !now.isBefore(lastUnknownKidFetch.plus(cooldown)))) {
                if (loaded) {
                    lastUnknownKidFetch = now; // at most one refetch per cooldown for unknown kids
                }
                fetch(now);
            }
            return keys.get(kid);
        } finally {
            lock.unlock();
        }
    }

    private boolean due(Instant now) {
        return !now.isBefore(fetchedAt.plus(refreshInterval));
    }

    /** After a failed fetch, the issuer is left alone for a cooldown. */
    private boolean mayTry(Instant now) {
        return !now.isBefore(lastFailure.plus(cooldown));
    }

    /** Under {@link #lock}. */
    private void fetch(Instant now) {
        try {
            if (jwksUri == null) {
                jwksUri = discoverJwksUri();
            }
            JWKSet set = JWKSet.parse(get(jwksUri));
            Map<String, VerificationKey> parsed = new HashMap<>();
            for (JWK jwk : set.getKeys()) {
                VerificationKey k = jwk.getKeyID() == null ? null : VerificationKey.of(jwk);
                if (k != null) {
                    parsed.put(jwk.getKeyID(), k);
                }
            }
            keys = Map.copyOf(parsed);
            fetchedAt = now;
        } catch (IOException | ParseException | RuntimeException e) {
            lastFailure = now; // unreachable or garbled: keep what we have
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private URI discoverJwksUri() throws IOException, InterruptedException, ParseException {
        Map<String, Object> doc = JSONObjectUtils.parse(get(URI.create(issuer + "/.well-known/openid-configuration")));
        if (!issuer.equals(doc.get("issuer"))) {
            throw new IOException("the discovery document names another issuer");
        }
        if (!(doc.get("jwks_uri") instanceof String jwks)) {
            throw new IOException("the discovery document has no jwks_uri");
        }
        return URI.create(jwks);
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " from " + uri);
        }
        return r.body();
    }
}
