package com.meltano.auth.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.meltano.auth.common.BackgroundJob;
import com.meltano.auth.common.DatabaseNotifications;
import com.meltano.auth.common.DatabaseOutage;
import com.meltano.auth.common.Sql;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.SigningAlgorithm;
import com.meltano.auth.config.StartupFailure;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The signing keys: generated at first start (once, even when several replicas start together,
 * under a PostgreSQL advisory lock), stored with the private part wrapped under the key-encryption
 * key, decoded once into memory. A key that does not decrypt stops the server; it is never
 * replaced, because tokens signed with it may still be in use and the operator likely set the
 * wrong key-encryption key.
 *
 * <p>Every replica publishes a key before any replica signs with it (SPEC section 7): a change to
 * the key table sends a {@code NOTIFY} in its transaction and every replica reloads on receipt,
 * with a poll of the table's fingerprint every {@value #RELOAD_POLL_SECONDS} s as the fallback when
 * a notification was missed. Which key signs is decided by each replica's clock from the loaded
 * {@code activates_at}, so all replicas switch together without waiting for another message.
 */
@ApplicationScoped
public class SigningKeys implements DatabaseNotifications.Subscriber {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    /** Advisory lock id for key generation and re-encryption. */
    static final long KEY_LOCK = 727_002L;
    static final String CHANNEL = "meltano_auth_keys";
    /** The fallback poll: bounds how late a replica that missed a notification publishes a new key. */
    static final int RELOAD_POLL_SECONDS = 3;

    @Inject
    Sql db;

    @Inject
    AuthConfig config;

    @Inject
    KeyEncryptionService encryption;

    @Inject
    ObjectMapper json;

    @Inject
    DatabaseNotifications notifications;

    @Inject
    TokenKeys tokenKeys;

    private volatile State state = new State(Map.of(), List.of(), "{\"keys\":[]}", "");
    private volatile boolean pollFailing;

    /** {@code signers}: the active and staged keys, the ones that sign now or will. */
    record State(Map<String, SigningKey> byKid, List<SigningKey> signers, String jwksJson, String fingerprint) {
    }

    void onStart(@Observes @Priority(100) StartupEvent event) {
        try {
            QuarkusTransaction.requiringNew().run(this::ensureKeys);
            reload();
        } catch (KeyEncryption.UndecryptableKeyException e) {
            throw new StartupFailure("MELTANO_AUTH_KEY_ENCRYPTION_KEY", e.getMessage() + "; nothing was changed");
        }
    }

    /** The key that signs new tokens of this algorithm now (ID tokens: RS256). */
    public SigningKey active(SigningAlgorithm alg) {
        return signer(alg, Instant.now()).orElseThrow(() -> new IllegalStateException("no active " + alg + " signing key"));
    }

    /**
     * The key that signs access tokens now: the configured algorithm's once it has a key that signs.
     * Until then (the algorithm was switched on a database that already has keys, and the new key
     * is still staged) the newest active key of another algorithm, which verifiers already know,
     * preferring one that is not RS256 (it signed access tokens before: RS256 is always active for
     * ID tokens), else RS256.
     */
    public SigningKey accessTokenKey() {
        Instant now = Instant.now();
        return accessTokenKey(now).orElseThrow(() -> new IllegalStateException("no access token signing key"));
    }

    private Optional<SigningKey> accessTokenKey(Instant now) {
        SigningAlgorithm configured = config.auth().signingAlg();
        Optional<SigningKey> own = signer(configured, now);
        if (own.isPresent()) {
            return own;
        }
        return state.signers().stream()
                .filter(k -> k.alg() != configured && k.status() == SigningKey.Status.ACTIVE)
                .max(Comparator.comparing((SigningKey k) -> k.alg() != SigningAlgorithm.RS256)
                        .thenComparing(SigningKey::signingSince));
    }

    /** The active key of {@code alg}, or the staged one that is due and newest: it takes over at its time. */
    private Optional<SigningKey> signer(SigningAlgorithm alg, Instant now) {
        return state.signers().stream()
                .filter(k -> k.alg() == alg && k.signsAt(now))
                .max(Comparator.comparing(SigningKey::signingSince));
    }

    public Optional<SigningKey> byKid(String kid) {
        return Optional.ofNullable(state.byKid().get(kid));
    }

    /** The JWKS document (public parts only), serialized once per key change. */
    public String jwksJson() {
        return state.jwksJson();
    }

    /** ID tokens and access tokens can be signed (during an algorithm switch, access tokens with the previous key). */
    public boolean ready() {
        Instant now = Instant.now();
        return signer(SigningAlgorithm.RS256, now).isPresent() && accessTokenKey(now).isPresent();
    }

    /** Algorithms that must have an active key: RS256 always (ID tokens), plus the configured one. */
    List<SigningAlgorithm> requiredAlgorithms() {
        List<SigningAlgorithm> algs = new ArrayList<>(List.of(SigningAlgorithm.RS256));
        if (config.auth().signingAlg() != SigningAlgorithm.RS256) {
            algs.add(config.auth().signingAlg());
        }
        return algs;
    }

    /**
     * At start: every required algorithm gets a key. On an empty table it signs at once (nobody can
     * have cached anything yet). On a table that already has a signing key (a restart with another
     * {@code MELTANO_AUTH_SIGNING_ALG}) the new algorithm's key is staged like any rotation: published
     * now, signing after the staging period; meanwhile access tokens stay on the current key.
     */
    void ensureKeys() {
        db.query("select pg_advisory_xact_lock(" + KEY_LOCK + ")").single();
        boolean anyActive = count("select count(*) from signing_key where status = 'active'", null) > 0;
        boolean changed = false;
        for (Object[] row : rows()) {
            if (row[3] == null) {
                continue; // in the PKCS#11 token: nothing wrapped
            }
            String kid = (String) row[0];
            String kekId = (String) row[4];
            byte[] privateKey = encryption.decrypt(kekId, (byte[]) row[3], kid);
            if (encryption.isStale(kekId)) {
                db.query("update signing_key set private_key = ?1, kek_id = ?2 where kid = ?3")
                        .bind(1, encryption.encrypt(privateKey, kid))
                        .bind(2, encryption.currentKeyId())
                        .bind(3, kid).update();
                LOG.infof("re-encrypted signing key %s under the current key-encryption key", kid);
            }
        }
        for (SigningAlgorithm alg : requiredAlgorithms()) {
            if (count("select count(*) from signing_key where alg = ?1 and status in ('active', 'staged')", alg) > 0) {
                if (tokenKeys.token().isPresent() && count("select count(*) from signing_key where alg = ?1"
                        + " and status in ('active', 'staged') and pkcs11_label is not null", alg) == 0) {
                    // moving to an HSM: the software key keeps signing until the token's key, published now, takes over
                    Instant activatesAt = Instant.now().plus(config.auth().keyStagingPeriod());
                    insert(alg, SigningKey.Status.STAGED, activatesAt);
                    changed = true;
                    LOG.infof("%s: a signing key from the PKCS#11 token is published now and signs from %s", alg.jwsName(), activatesAt);
                }
                continue;
            }
            changed = true;
            if (anyActive && alg != SigningAlgorithm.RS256) {
                Instant activatesAt = Instant.now().plus(config.auth().keyStagingPeriod());
                insert(alg, SigningKey.Status.STAGED, activatesAt);
                LOG.infof("MELTANO_AUTH_SIGNING_ALG is %s: its first key is published now and signs access tokens from %s;"
                        + " until then they are signed with the current key", alg.jwsName(), activatesAt);
            } else {
                insert(alg, SigningKey.Status.ACTIVE, null);
            }
        }
        if (changed) {
            notifyChanged();
        }
    }

    /** Makes every replica reload the keys when the caller's transaction commits. */
    void notifyChanged() {
        notifications.notifyAfterCommit(CHANNEL, "");
    }

    private long count(String sql, SigningAlgorithm alg) {
        var query = db.query(sql);
        if (alg != null) {
            query.bind(1, alg.jwsName());
        }
        return ((Number) query.single()).longValue();
    }

    /**
     * Generates and stores a key; the caller holds the advisory lock.
     *
     * @param activatesAt for a staged key, when it starts signing
     */
    String insert(SigningAlgorithm alg, SigningKey.Status status, Instant activatesAt) {
        Optional<Pkcs11Token> token = tokenKeys.token();
        if (token.isPresent()) {
            return insertInToken(token.get(), alg, status, activatesAt);
        }
        KeyPair pair = KeyMaterial.generate(alg);
        Map<String, String> jwk = KeyMaterial.publicJwk(alg, pair.getPublic());
        String kid = jwk.get("kid");
        db.query("insert into signing_key (kid, alg, status, public_key, public_jwk, private_key, kek_id,"
                + " activated_at, activates_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .bind(1, kid)
                .bind(2, alg.jwsName())
                .bind(3, status.name().toLowerCase(Locale.ROOT))
                .bind(4, pair.getPublic().getEncoded())
                .bind(5, toJson(jwk))
                .bind(6, encryption.encrypt(pair.getPrivate().getEncoded(), kid))
                .bind(7, encryption.currentKeyId())
                .bind(8, status == SigningKey.Status.ACTIVE ? Instant.now() : null)
                .bind(9, activatesAt)
                .update();
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

    /** The fallback for a missed notification; one log line when the database stops answering, not one per poll. */
    @BackgroundJob
    @Scheduled(every = RELOAD_POLL_SECONDS + "s", delayed = RELOAD_POLL_SECONDS + "s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            reloadIfChanged();
            pollFailing = false;
        } catch (RuntimeException e) {
            if (DatabaseOutage.isUnavailable(e)) {
                DatabaseOutage.failed(e); // one line for the whole outage
            } else if (!pollFailing) {
                LOG.warnf("cannot read the signing keys (%s); serving the loaded ones", e.getClass().getSimpleName());
            }
            pollFailing = true;
        }
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public void connected() {
        reloadIfChanged(); // notifications may have been missed while not listening
    }

    @Override
    public void received(List<String> payloads) {
        reloadIfChanged();
    }

    @Override
    public void disconnected() {
        // the poll goes on
    }

    private String fingerprint() {
        return (String) db.query("select coalesce(string_agg(kid || ':' || status || ':'"
                + " || coalesce(activates_at::text, ''), ',' order by kid), '') from signing_key").single();
    }

    private record Snapshot(String fingerprint, List<Object[]> rows) {
    }

    /** Reads every stored key and swaps the in-memory state in one step (one reload at a time, so an older read never wins). */
    public synchronized void reload() {
        Snapshot snapshot = QuarkusTransaction.requiringNew().call(() -> new Snapshot(fingerprint(), rows()));
        String fingerprint = snapshot.fingerprint();
        List<Object[]> rows = snapshot.rows();
        Map<String, SigningKey> byKid = new LinkedHashMap<>();
        List<SigningKey> signers = new ArrayList<>();
        List<Map<String, String>> published = new ArrayList<>();
        for (Object[] row : rows) {
            SigningKey key = decode(row);
            byKid.put(key.kid(), key);
            published.add(key.publicJwk());
            if (key.status() != SigningKey.Status.RETIRED) {
                signers.add(key);
            }
        }
        state = new State(Map.copyOf(byKid), List.copyOf(signers), toJson(Map.of("keys", published)), fingerprint);
    }

    private List<Object[]> rows() {
        return db.query("select kid, alg, status, private_key, kek_id, public_key, activates_at, activated_at,"
                + " pkcs11_label from signing_key order by created_at, kid").list();
    }

    private SigningKey decode(Object[] row) {
        String kid = (String) row[0];
        SigningAlgorithm alg = SigningAlgorithm.valueOf((String) row[1]);
        SigningKey.Status status = SigningKey.Status.valueOf(((String) row[2]).toUpperCase(Locale.ROOT));
        try {
            PublicKey publicKey = KeyMaterial.decodePublic(alg, (byte[]) row[5]);
            if (row[8] != null) {
                Pkcs11Token token = tokenKeys.token().orElseThrow(() -> new StartupFailure(Pkcs11Token.LIBRARY,
                        "is not set, but the stored signing keys are in a PKCS#11 token"));
                return new SigningKey(kid, alg, status, (Instant) row[6], (Instant) row[7], inToken(token, (String) row[8], kid),
                        publicKey, KeyMaterial.publicJwk(alg, publicKey), token);
            }
            PrivateKey privateKey = KeyMaterial.decodePrivate(alg, encryption.decrypt((String) row[4], (byte[]) row[3], kid));
            return new SigningKey(kid, alg, status, (Instant) row[6], (Instant) row[7], privateKey, publicKey,
                    KeyMaterial.publicJwk(alg, publicKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key " + kid + " cannot be decoded", e);
        }
    }

    /** The stored key's private half in the token; one line naming the token's variable when it is not there. */
    private static PrivateKey inToken(Pkcs11Token token, String label, String kid) {
        try {
            return token.privateKey(label);
        } catch (GeneralSecurityException e) {
            throw new StartupFailure(Pkcs11Token.TOKEN_LABEL, "the token holds no private key labelled " + label
                    + " for the stored signing key " + kid + " (another token, or the object was deleted from it)");
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * SPEC section 15: the key pair is generated inside the token, non-extractable; the row keeps the
     * public key, the {@code kid} and the object's label, and no private part at all.
     */
    private String insertInToken(Pkcs11Token token, SigningAlgorithm alg, SigningKey.Status status, Instant activatesAt) {
        String label = "meltano-auth-" + java.util.UUID.randomUUID();
        PublicKey publicKey;
        try {
            publicKey = token.generate(alg, label);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + alg + " key in the PKCS#11 token", e);
        }
        Map<String, String> jwk = KeyMaterial.publicJwk(alg, publicKey);
        String kid = jwk.get("kid");
        db.query("insert into signing_key (kid, alg, status, public_key, public_jwk, pkcs11_label,"
                + " activated_at, activates_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .bind(1, kid)
                .bind(2, alg.jwsName())
                .bind(3, status.name().toLowerCase(Locale.ROOT))
                .bind(4, publicKey.getEncoded())
                .bind(5, toJson(jwk))
                .bind(6, label)
                .bind(7, status == SigningKey.Status.ACTIVE ? Instant.now() : null)
                .bind(8, activatesAt)
                .update();
        LOG.infof("generated %s signing key %s in the PKCS#11 token (%s)", alg.jwsName(), kid, status.name().toLowerCase(Locale.ROOT));
        return kid;
    }
}
