package com.meltano.auth.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;

/**
 * The key of the keyed hash under which client secrets (and later other high-entropy tokens) are
 * stored: HMAC-SHA-256. Client secrets are 256-bit random values, so a slow password hash would
 * add nothing but latency; the key is random (never derived from the key-encryption key) and is
 * itself stored wrapped under the key-encryption key ({@link RandomKeys}), so a database dump alone
 * cannot test guesses.
 */
@ApplicationScoped
public class SecretHashKey {

    static final String NAME = "client-secret-hmac";

    @Inject
    RandomKeys keys;

    private volatile RandomKeys.Hmac key;

    void onStart(@Observes @Priority(110) StartupEvent event) {
        key = keys.hmacKey(NAME);
    }

    public byte[] hash(String secret) {
        return key.mac(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Constant-time comparison of a presented secret against a stored hash. */
    public boolean matches(String secret, byte[] storedHash) {
        return secret != null && storedHash != null && MessageDigest.isEqual(hash(secret), storedHash);
    }
}
