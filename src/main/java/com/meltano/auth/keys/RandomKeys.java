package com.meltano.auth.keys;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.common.Sql;
import com.meltano.auth.config.StartupFailure;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Random 256-bit keys stored in {@code secret_key} wrapped under the key-encryption key (SPEC
 * section 4: the client-secret hash key; section 12: the pairwise subject key), each under
 * its own name (the AES-GCM associated data, so a wrapped key copied onto another name does not
 * decrypt). A key is never derived from the key-encryption key: a database dump alone cannot test
 * guesses, and rotating the key-encryption key re-wraps it without changing it (what it keys, a
 * stored secret hash or a pairwise {@code sub}, stays valid). Several replicas starting together
 * on an empty database agree on one key: the first creates it under the key advisory lock, the
 * others read it.
 */
@ApplicationScoped
public class RandomKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Sql db;

    @Inject
    KeyEncryptionService encryption;

    /**
     * The HMAC-SHA-256 key named {@code name}, created at the first start, re-wrapped under the
     * current key-encryption key during a rotation. Runs in its own transaction; a key that does
     * not decrypt stops the start without changing anything.
     */
    public Hmac hmacKey(String name) {
        try {
            return new Hmac(new SecretKeySpec(QuarkusTransaction.requiringNew().call(() -> loadOrCreate(name)), "HmacSHA256"));
        } catch (KeyEncryption.UndecryptableKeyException e) {
            throw new StartupFailure("MELTANO_AUTH_KEY_ENCRYPTION_KEY", e.getMessage() + "; nothing was changed");
        }
    }

    private byte[] loadOrCreate(String name) {
        db.query("select pg_advisory_xact_lock(" + SigningKeys.KEY_LOCK + ")").single();
        List<Object[]> rows = db.query("select key_material, kek_id from secret_key where name = ?1")
                .bind(1, name).list();
        if (!rows.isEmpty()) {
            String kekId = (String) rows.get(0)[1];
            byte[] raw = encryption.decrypt(kekId, (byte[]) rows.get(0)[0], name);
            if (encryption.isStale(kekId)) {
                db.query("update secret_key set key_material = ?1, kek_id = ?2 where name = ?3")
                        .bind(1, encryption.encrypt(raw, name))
                        .bind(2, encryption.currentKeyId())
                        .bind(3, name).update();
            }
            return raw;
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        db.query("insert into secret_key (name, key_material, kek_id) values (?1, ?2, ?3)")
                .bind(1, name)
                .bind(2, encryption.encrypt(raw, name))
                .bind(3, encryption.currentKeyId())
                .update();
        return raw;
    }

    /** An HMAC-SHA-256 key in memory, with a {@code Mac} per thread (a provider lookup per call costs). */
    public static final class Hmac {

        private final SecretKeySpec key;
        private final ThreadLocal<Mac> macs = new ThreadLocal<>();

        private Hmac(SecretKeySpec key) {
            this.key = key;
        }

        public byte[] mac(byte[] message) {
            try {
                Mac mac = macs.get();
                if (mac == null) {
                    mac = Mac.getInstance("HmacSHA256");
                    mac.init(key);
                    macs.set(mac);
                }
                return mac.doFinal(message); // doFinal resets the Mac
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return "Hmac[...]"; // never the key
        }
    }
}
