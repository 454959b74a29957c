package com.meltano.auth.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import com.meltano.auth.config.StartupFailure;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * The key of the keyed hash under which client secrets (and later other high-entropy tokens) are
 * stored: HMAC-SHA-256. Client secrets are 256-bit random values, so a slow password hash would
 * add nothing but latency; the key is random (never derived from the key-encryption key) and is
 * itself stored wrapped under the key-encryption key, so a database dump alone cannot test guesses.
 */
@ApplicationScoped
public class SecretHashKey {

    static final String NAME = "client-secret-hmac";

    @Inject
    EntityManager em;

    @Inject
    KeyEncryptionService encryption;

    private volatile SecretKeySpec key;
    /** A Mac per thread: {@code Mac.getInstance} costs a provider lookup on every token request. */
    private final ThreadLocal<Mac> macs = new ThreadLocal<>();

    void onStart(@Observes @Priority(110) StartupEvent event) {
        try {
            key = new SecretKeySpec(QuarkusTransaction.requiringNew().call(this::loadOrCreate), "HmacSHA256");
        } catch (KeyEncryption.UndecryptableKeyException e) {
            throw new StartupFailure("MELTANO_AUTH_KEY_ENCRYPTION_KEY", e.getMessage() + "; nothing was changed");
        }
    }

    private byte[] loadOrCreate() {
        em.createNativeQuery("select pg_advisory_xact_lock(" + SigningKeys.KEY_LOCK + ")").getSingleResult();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select key_material, kek_id from secret_key where name = ?1")
                .setParameter(1, NAME).getResultList();
        if (!rows.isEmpty()) {
            String kekId = (String) rows.get(0)[1];
            byte[] raw = encryption.decrypt(kekId, (byte[]) rows.get(0)[0], NAME);
            if (encryption.isStale(kekId)) {
                em.createNativeQuery("update secret_key set key_material = ?1, kek_id = ?2 where name = ?3")
                        .setParameter(1, encryption.encrypt(raw, NAME))
                        .setParameter(2, encryption.currentKeyId())
                        .setParameter(3, NAME).executeUpdate();
            }
            return raw;
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        em.createNativeQuery("insert into secret_key (name, key_material, kek_id) values (?1, ?2, ?3)")
                .setParameter(1, NAME)
                .setParameter(2, encryption.encrypt(raw, NAME))
                .setParameter(3, encryption.currentKeyId())
                .executeUpdate();
        return raw;
    }

    public byte[] hash(String secret) {
        try {
            Mac mac = macs.get();
            if (mac == null) {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                macs.set(mac);
            }
            return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)); // doFinal resets the Mac
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of a presented secret against a stored hash. */
    public boolean matches(String secret, byte[] storedHash) {
        return secret != null && storedHash != null && MessageDigest.isEqual(hash(secret), storedHash);
    }
}
