package com.meltano.auth.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.SigningAlgorithm;
import com.meltano.auth.config.StartupFailure;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * The signing keys: generated at first start (once, even when several replicas start together,
 * under a PostgreSQL advisory lock), stored with the private part wrapped under the key-encryption
 * key, decoded once into memory. A key that does not decrypt stops the server; it is never
 * replaced, because tokens signed with it may still be in use and the operator likely set the
 * wrong key-encryption key.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    /** Advisory lock id for key generation and re-encryption. */
    static final long KEY_LOCK = 727_002L;

    @Inject
    EntityManager em;

    @Inject
    AuthConfig config;

    @Inject
    KeyEncryptionService encryption;

    @Inject
    ObjectMapper json;

    private volatile State state = new State(Map.of(), Map.of(), "{\"keys\":[]}", "");

    record State(Map<String, SigningKey> byKid, Map<SigningAlgorithm, SigningKey> active, String jwksJson, String fingerprint) {
    }

    void onStart(@Observes @Priority(100) StartupEvent event) {
        try {
            QuarkusTransaction.requiringNew().run(this::ensureKeys);
            reload();
        } catch (KeyEncryption.UndecryptableKeyException e) {
            throw new StartupFailure("MELTANO_AUTH_KEY_ENCRYPTION_KEY", e.getMessage() + "; nothing was changed");
        }
    }

    /** The key that signs new tokens of this algorithm. */
    public SigningKey active(SigningAlgorithm alg) {
        SigningKey key = state.active().get(alg);
        if (key == null) {
            throw new IllegalStateException("no active " + alg + " signing key");
        }
        return key;
    }

    public Optional<SigningKey> byKid(String kid) {
        return Optional.ofNullable(state.byKid().get(kid));
    }

    /** The JWKS document (public parts only), serialized once per key change. */
    public String jwksJson() {
        return state.jwksJson();
    }

    public boolean ready() {
        return state.active().containsKey(SigningAlgorithm.RS256)
                && state.active().containsKey(config.auth().signingAlg());
    }

    /** Algorithms that must have an active key: RS256 always (ID tokens), plus the configured one. */
    List<SigningAlgorithm> requiredAlgorithms() {
        List<SigningAlgorithm> algs = new ArrayList<>(List.of(SigningAlgorithm.RS256));
        if (config.auth().signingAlg() != SigningAlgorithm.RS256) {
            algs.add(config.auth().signingAlg());
        }
        return algs;
    }

    void ensureKeys() {
        em.createNativeQuery("select pg_advisory_xact_lock(" + KEY_LOCK + ")").getSingleResult();
        for (Object[] row : rows()) {
            String kid = (String) row[0];
            String kekId = (String) row[4];
            byte[] privateKey = encryption.decrypt(kekId, (byte[]) row[3], kid);
            if (encryption.isStale(kekId)) {
                em.createNativeQuery("update signing_key set private_key = ?1, kek_id = ?2 where kid = ?3")
                        .setParameter(1, encryption.encrypt(privateKey, kid))
                        .setParameter(2, encryption.currentKeyId())
                        .setParameter(3, kid).executeUpdate();
                LOG.infof("re-encrypted signing key %s under the current key-encryption key", kid);
            }
        }
        for (SigningAlgorithm alg : requiredAlgorithms()) {
            Number active = (Number) em.createNativeQuery(
                    "select count(*) from signing_key where alg = ?1 and status = 'active'")
                    .setParameter(1, alg.jwsName()).getSingleResult();
            if (active.intValue() == 0) {
                insert(alg, SigningKey.Status.ACTIVE, null);
            }
        }
    }

    /**
     * Generates and stores a key; the caller holds the advisory lock.
     *
     * @param activatesAt for a staged key, when it starts signing
     */
    String insert(SigningAlgorithm alg, SigningKey.Status status, Instant activatesAt) {
        KeyPair pair = KeyMaterial.generate(alg);
        Map<String, String> jwk = KeyMaterial.publicJwk(alg, pair.getPublic());
        String kid = jwk.get("kid");
        em.createNativeQuery("insert into signing_key (kid, alg, status, public_key, public_jwk, private_key, kek_id,"
                + " activated_at, activates_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .setParameter(1, kid)
                .setParameter(2, alg.jwsName())
                .setParameter(3, status.name().toLowerCase(Locale.ROOT))
                .setParameter(4, pair.getPublic().getEncoded())
                .setParameter(5, toJson(jwk))
                .setParameter(6, encryption.encrypt(pair.getPrivate().getEncoded(), kid))
                .setParameter(7, encryption.currentKeyId())
                .setParameter(8, status == SigningKey.Status.ACTIVE ? Instant.now() : null)
                .setParameter(9, activatesAt)
                .executeUpdate();
        LOG.infof("generated %s signing key %s (%s)", alg.jwsName(), kid, status.name().toLowerCase(Locale.ROOT));
        return kid;
    }

    /**
     * Reloads when the stored keys differ from the loaded ones (another replica rotated): a cheap
     * fingerprint query, so every replica can poll it often.
     */
    public void reloadIfChanged() {
        String current = QuarkusTransaction.requiringNew().call(this::fingerprint);
        if (!current.equals(state.fingerprint())) {
            reload();
        }
    }

    private String fingerprint() {
        return (String) em.createNativeQuery(
                "select coalesce(string_agg(kid || ':' || status, ',' order by kid), '') from signing_key").getSingleResult();
    }

    private record Snapshot(String fingerprint, List<Object[]> rows) {
    }

    /** Reads every stored key and swaps the in-memory state in one step. */
    public void reload() {
        Snapshot snapshot = QuarkusTransaction.requiringNew().call(() -> new Snapshot(fingerprint(), rows()));
        String fingerprint = snapshot.fingerprint();
        List<Object[]> rows = snapshot.rows();
        Map<String, SigningKey> byKid = new LinkedHashMap<>();
        Map<SigningAlgorithm, SigningKey> active = new EnumMap<>(SigningAlgorithm.class);
        List<Map<String, String>> published = new ArrayList<>();
        for (Object[] row : rows) {
            SigningKey key = decode(row);
            byKid.put(key.kid(), key);
            published.add(key.publicJwk());
            if (key.status() == SigningKey.Status.ACTIVE) {
                active.put(key.alg(), key);
            }
        }
        state = new State(Map.copyOf(byKid), Map.copyOf(active), toJson(Map.of("keys", published)), fingerprint);
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows() {
        return em.createNativeQuery("select kid, alg, status, private_key, kek_id, public_key from signing_key"
                + " order by created_at, kid").getResultList();
    }

    private SigningKey decode(Object[] row) {
        String kid = (String) row[0];
        SigningAlgorithm alg = SigningAlgorithm.valueOf((String) row[1]);
        SigningKey.Status status = SigningKey.Status.valueOf(((String) row[2]).toUpperCase(Locale.ROOT));
        try {
            PrivateKey privateKey = KeyMaterial.decodePrivate(alg, encryption.decrypt((String) row[4], (byte[]) row[3], kid));
            PublicKey publicKey = KeyMaterial.decodePublic(alg, (byte[]) row[5]);
            return new SigningKey(kid, alg, status, privateKey, publicKey, KeyMaterial.publicJwk(alg, publicKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key " + kid + " cannot be decoded", e);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
