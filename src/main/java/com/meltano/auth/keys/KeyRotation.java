package com.meltano.auth.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.SigningAlgorithm;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * The signing key lifecycle (SPEC section 7): staged (published, not yet signing, for the staging
 * period, longer than the JWKS max-age, so every verifier has it before it signs) -> active ->
 * retired (published, no longer signing) -> removed once every token it signed has expired.
 * Rotation happens every {@code MELTANO_AUTH_KEY_ROTATION_PERIOD} and on demand. Changes run under
 * the key advisory lock, so exactly one replica makes each; every replica polls a fingerprint of
 * the key table and reloads when it changes.
 */
@ApplicationScoped
public class KeyRotation {

    private static final Logger LOG = Logger.getLogger(KeyRotation.class);
    /** Clock skew a verifier may allow past {@code exp}. */
    static final Duration VERIFIER_SKEW = Duration.ofMinutes(5);

    /** A key made by a rotation. */
    public record NewKey(String kid, String alg, String status, Instant activatesAt) {
    }

    @Inject
    EntityManager em;

    @Inject
    SigningKeys keys;

    @Inject
    AuthConfig config;

    @Inject
    Event<AuditEvent> audit;

    /**
     * Stages a new key per signing algorithm in use, or with {@code activateNow} (an emergency: the
     * current key is suspect) makes a new key sign at once and retires the old one, which stays
     * published until its tokens expire. A second staged rotation while one is pending returns the
     * pending key instead of stacking another.
     */
    public List<NewKey> rotate(String actor, boolean activateNow) {
        List<NewKey> made = QuarkusTransaction.requiringNew().call(() -> {
            lock();
            List<NewKey> out = new ArrayList<>();
            Instant now = Instant.now();
            for (SigningAlgorithm alg : keys.requiredAlgorithms()) {
                if (activateNow) {
                    em.createNativeQuery("delete from signing_key where alg = ?1 and status = 'staged'")
                            .setParameter(1, alg.jwsName()).executeUpdate();
                    retireActive(alg, now);
                    out.add(new NewKey(keys.insert(alg, SigningKey.Status.ACTIVE, null), alg.jwsName(), "active", now));
                } else {
                    out.add(pendingOrNew(alg, now));
                }
            }
            audit.fire(AuditEvent.of(actor, "keys.rotated", null, Map.of("activate_now", activateNow,
                    "kids", out.stream().map(NewKey::kid).toList())));
            return out;
        });
        keys.reload();
        return made;
    }

    /** Promotion, automatic rotation and removal; every replica runs it, one at a time acts. */
    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        maintain();
    }

    /** One maintenance pass, then a reload if the table changed (here or on another replica). */
    public void maintain() {
        QuarkusTransaction.requiringNew().run(() -> {
            if (!tryLock()) {
                return; // another replica is at it
            }
            Instant now = Instant.now();
            for (SigningAlgorithm alg : keys.requiredAlgorithms()) {
                promoteDue(alg, now);
                rotateIfDue(alg, now);
            }
            removeExpired(now);
        });
        keys.reloadIfChanged();
    }

    private NewKey pendingOrNew(SigningAlgorithm alg, Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> staged = em.createNativeQuery(
                "select kid, activates_at from signing_key where alg = ?1 and status = 'staged' order by activates_at limit 1")
                .setParameter(1, alg.jwsName()).getResultList();
        if (!staged.isEmpty()) {
            return new NewKey((String) staged.get(0)[0], alg.jwsName(), "staged", (Instant) staged.get(0)[1]);
        }
        Instant activatesAt = now.plus(config.auth().keyStagingPeriod());
        return new NewKey(keys.insert(alg, SigningKey.Status.STAGED, activatesAt), alg.jwsName(), "staged", activatesAt);
    }

    private void promoteDue(SigningAlgorithm alg, Instant now) {
        @SuppressWarnings("unchecked")
        List<String> due = em.createNativeQuery("select kid from signing_key where alg = ?1 and status = 'staged'"
                + " and activates_at <= ?2 order by activates_at desc limit 1")
                .setParameter(1, alg.jwsName()).setParameter(2, now).getResultList();
        if (due.isEmpty()) {
            return;
        }
        retireActive(alg, now);
        em.createNativeQuery("update signing_key set status = 'active', activated_at = ?2 where kid = ?1")
                .setParameter(1, due.get(0)).setParameter(2, now).executeUpdate();
        LOG.infof("signing key %s (%s) is now active", due.get(0), alg.jwsName());
    }

    /** Stages the next key early enough that it activates one rotation period after the current one. */
    private void rotateIfDue(SigningAlgorithm alg, Instant now) {
        Instant newest = (Instant) em.createNativeQuery("select max(created_at) from signing_key where alg = ?1"
                + " and status in ('active', 'staged')").setParameter(1, alg.jwsName()).getSingleResult();
        Duration period = config.auth().keyRotationPeriod();
        Duration staging = config.auth().keyStagingPeriod();
        if (newest != null && newest.plus(period).minus(staging).isAfter(now)) {
            return;
        }
        pendingOrNew(alg, now);
    }

    private void removeExpired(Instant now) {
        Instant cutoff = now.minus(config.auth().accessTokenTtl()).minus(VERIFIER_SKEW);
        int removed = em.createNativeQuery("delete from signing_key where status = 'retired' and retired_at < ?1")
                .setParameter(1, cutoff).executeUpdate();
        if (removed > 0) {
            LOG.infof("removed %d retired signing keys whose tokens have all expired", removed);
        }
    }

    private void retireActive(SigningAlgorithm alg, Instant now) {
        em.createNativeQuery("update signing_key set status = 'retired', retired_at = ?2 where alg = ?1 and status = 'active'")
                .setParameter(1, alg.jwsName()).setParameter(2, now).executeUpdate();
    }

    private void lock() {
        em.createNativeQuery("select pg_advisory_xact_lock(" + SigningKeys.KEY_LOCK + ")").getSingleResult();
    }

    private boolean tryLock() {
        return (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(" + SigningKeys.KEY_LOCK + ")").getSingleResult();
    }
}
