package com.meltano.auth.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.common.BackgroundJob;
import com.meltano.auth.common.Sql;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.SigningAlgorithm;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * The signing key lifecycle (SPEC section 7): staged (published, not yet signing, for the staging
 * period, longer than the JWKS max-age, so every verifier has it before it signs) -> active ->
 * retired (published, no longer signing) -> removed once every token it signed has expired.
 * Rotation happens every {@code MELTANO_AUTH_KEY_ROTATION_PERIOD} and on demand. Changes run under
 * the key advisory lock, so exactly one replica makes each, and notify every replica, which
 * reloads (see {@link SigningKeys}). Each replica starts signing with a staged key at its
 * {@code activates_at} by its own clock; the promotion here only brings the rows up to date.
 *
 * <p>{@code activate_now} (SPEC section 9) is a staged key with a short delay instead of the staging
 * period: {@link #ACTIVATE_NOW_DELAY} covers a replica that missed the notification (the poll,
 * {@value SigningKeys#RELOAD_POLL_SECONDS} s) plus a JWKS copy that a verifier or an HTTP cache
 * fetched just before (its {@code max-age}, at most {@link JwksEndpoint#MAX_AGE_CAP}), so at
 * {@code activates_at} every replica publishes the key and no cache that honours {@code max-age}
 * still serves a document without it.
 */
@ApplicationScoped
public class KeyRotation {

    private static final Logger LOG = Logger.getLogger(KeyRotation.class);
    /** Clock skew a verifier may allow past {@code exp}. */
    static final Duration VERIFIER_SKEW = Duration.ofMinutes(5);
    /** How long after an {@code activate_now} rotation the new key signs (never longer than the staging period). */
    public static final Duration ACTIVATE_NOW_DELAY = Duration.ofSeconds(15);

    /** A key made by a rotation: {@code state} is {@code staged} until {@code activatesAt}, on every replica. */
    public record NewKey(String kid, String alg, String state, Instant activatesAt) {
    }

    /**
     * The answer to a rotation (SPEC section 9, {@code POST /admin/api/keys/rotate}): the access
     * tokens' new key first, and {@code keys}, the new key of each algorithm in use.
     */
    public record Rotated(String kid, String state, Instant activatesAt, List<NewKey> keys) {
        public static Rotated of(List<NewKey> keys) {
            NewKey first = keys.get(0);
            return new Rotated(first.kid(), first.state(), first.activatesAt(), keys);
        }
    }

    @Inject
    Sql db;

    @Inject
    SigningKeys keys;

    @Inject
    AuthConfig config;

    @Inject
    Event<AuditEvent> audit;

    @Inject
    TokenKeys tokenKeys;

    /**
     * Stages a new key per signing algorithm in use, signing after the staging period, or with
     * {@code activateNow} (an emergency: the current key is suspect) after
     * {@link #activateNowDelay()}; the old key is then retired and stays published until its tokens
     * expire. A rotation while a key is pending that activates no later returns the pending key
     * instead of stacking another. Several algorithms: the first key returned is the access tokens'.
     */
    public List<NewKey> rotate(String actor, boolean activateNow) {
        List<NewKey> made = QuarkusTransaction.requiringNew().call(() -> {
            lock();
            List<NewKey> out = new ArrayList<>();
            Instant now = Instant.now();
            List<SigningAlgorithm> algs = new ArrayList<>(keys.requiredAlgorithms());
            algs.sort((a, b) -> Boolean.compare(a != config.auth().signingAlg(), b != config.auth().signingAlg()));
            for (SigningAlgorithm alg : algs) {
                out.add(activateNow ? pendingOrNew(alg, now.plus(activateNowDelay()), true)
                        : pendingOrNew(alg, now.plus(config.auth().keyStagingPeriod()), false));
            }
            keys.notifyChanged();
            audit.fire(AuditEvent.of(actor, "keys.rotated", null, Map.of("activate_now", activateNow,
                    "kids", out.stream().map(NewKey::kid).toList())));
            return out;
        });
        keys.reload();
        return made;
    }

    /** {@link #ACTIVATE_NOW_DELAY}, or the staging period when that is shorter: an emergency is never slower than a rotation. */
    Duration activateNowDelay() {
        Duration staging = config.auth().keyStagingPeriod();
        return staging.compareTo(ACTIVATE_NOW_DELAY) < 0 ? staging : ACTIVATE_NOW_DELAY;
    }

    /** Promotion, automatic rotation and removal; every replica runs it, one at a time acts. */
    @BackgroundJob
    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        maintain();
    }

    /** One maintenance pass, then a reload if the table changed (here or on another replica). */
    public void maintain() {
        List<String> removedFromToken = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            if (!tryLock()) {
                return; // another replica is at it
            }
            Instant now = Instant.now();
            boolean changed = false;
            for (SigningAlgorithm alg : keys.requiredAlgorithms()) {
                changed |= promoteDue(alg, now);
                changed |= rotateIfDue(alg, now);
            }
            changed |= retireUnused(now);
            changed |= removeExpired(now, removedFromToken);
            if (changed) {
                keys.notifyChanged();
            }
        });
        // only once the rows are gone for good: a row whose object is missing would stop every reload
        removedFromToken.forEach(label -> tokenKeys.token().ifPresent(token -> token.delete(label)));
        keys.reloadIfChanged();
    }

    /**
     * The pending key of {@code alg} that activates no later than {@code activatesAt}, or a new one
     * staged for then. {@code preempt}: pending keys due later are retired unused (they never
     * signed), so that an emergency key is not replaced by a key staged before it.
     */
    private NewKey pendingOrNew(SigningAlgorithm alg, Instant activatesAt, boolean preempt) {
        // an emergency takes the pending key that activates latest but in time; a rotation, the first pending one
        var query = preempt
                ? db.query("select kid, activates_at from signing_key where alg = ?1 and status = 'staged'"
                        + " and activates_at <= ?2 order by activates_at desc limit 1").bind(2, activatesAt)
                : db.query("select kid, activates_at from signing_key where alg = ?1 and status = 'staged'"
                        + " order by activates_at limit 1");
        List<Object[]> staged = query.bind(1, alg.jwsName()).list();
        NewKey key;
        if (!staged.isEmpty()) {
            key = new NewKey((String) staged.get(0)[0], alg.jwsName(), "staged", (Instant) staged.get(0)[1]);
        } else {
            key = new NewKey(keys.insert(alg, SigningKey.Status.STAGED, activatesAt), alg.jwsName(), "staged", activatesAt);
        }
        if (preempt) {
            db.query("update signing_key set status = 'retired', retired_at = ?3 where alg = ?1"
                    + " and status = 'staged' and activates_at > ?2")
                    .bind(1, alg.jwsName()).bind(2, key.activatesAt()).bind(3, Instant.now())
                    .update();
        }
        return key;
    }

    private boolean promoteDue(SigningAlgorithm alg, Instant now) {
        List<String> due = db.query("select kid from signing_key where alg = ?1 and status = 'staged'"
                + " and activates_at <= ?2 order by activates_at desc limit 1")
                .bind(1, alg.jwsName()).bind(2, now).list();
        if (due.isEmpty()) {
            return false;
        }
        retireActive(alg, now);
        // an older due key that never got its turn (two rotations within one maintenance pass) signed by time: retire it too
        db.query("update signing_key set status = 'retired', retired_at = ?3 where alg = ?1 and status = 'staged'"
                + " and activates_at <= ?2 and kid <> ?4")
                .bind(1, alg.jwsName()).bind(2, now).bind(3, now).bind(4, due.get(0))
                .update();
        db.query("update signing_key set status = 'active', activated_at = ?2 where kid = ?1")
                .bind(1, due.get(0)).bind(2, now).update();
        LOG.infof("signing key %s (%s) is now active", due.get(0), alg.jwsName());
        return true;
    }

    /** Stages the next key early enough that it activates one rotation period after the current one. */
    private boolean rotateIfDue(SigningAlgorithm alg, Instant now) {
        Instant newest = db.query("select max(created_at) from signing_key where alg = ?1"
                + " and status in ('active', 'staged')").bind(1, alg.jwsName()).single();
        Duration period = config.auth().keyRotationPeriod();
        Duration staging = config.auth().keyStagingPeriod();
        if (newest != null && newest.plus(period).minus(staging).isAfter(now)) {
            return false;
        }
        pendingOrNew(alg, now.plus(staging), false);
        return true;
    }

    /**
     * After an algorithm switch: once the configured algorithm has an active key, the keys of an
     * algorithm no longer in use (never RS256: ID tokens) are retired: active ones, which signed
     * access tokens until now, and staged ones that are due, which never will. Both stay published
     * until their tokens have expired.
     */
    private boolean retireUnused(Instant now) {
        boolean configuredActive = (Boolean) db.query(
                "select exists (select 1 from signing_key where alg = ?1 and status = 'active')")
                .bind(1, config.auth().signingAlg().jwsName()).single();
        if (!configuredActive) {
            return false; // the old algorithm's key still signs access tokens
        }
        int retired = db.query("update signing_key set status = 'retired', retired_at = ?2"
                + " where alg <> ?1 and alg <> ?3 and (status = 'active' or status = 'staged' and activates_at <= ?2)")
                .bind(1, config.auth().signingAlg().jwsName()).bind(2, now)
                .bind(3, SigningAlgorithm.RS256.jwsName()).update();
        if (retired > 0) {
            LOG.infof("retired %d signing keys of an algorithm no longer configured", retired);
        }
        return retired > 0;
    }

    /** @param inToken receives the PKCS#11 labels of the removed keys, destroyed in the token after commit */
    private boolean removeExpired(Instant now, List<String> inToken) {
        Instant cutoff = now.minus(config.auth().accessTokenTtl()).minus(VERIFIER_SKEW);
        List<String> labels = db.query("select pkcs11_label from signing_key where status = 'retired'"
                + " and retired_at < ?1 and pkcs11_label is not null").bind(1, cutoff).list();
        inToken.addAll(labels);
        int removed = db.query("delete from signing_key where status = 'retired' and retired_at < ?1")
                .bind(1, cutoff).update();
        if (removed > 0) {
            LOG.infof("removed %d retired signing keys whose tokens have all expired", removed);
        }
        return removed > 0;
    }

    private void retireActive(SigningAlgorithm alg, Instant now) {
        db.query("update signing_key set status = 'retired', retired_at = ?2 where alg = ?1 and status = 'active'")
                .bind(1, alg.jwsName()).bind(2, now).update();
    }

    private void lock() {
        db.query("select pg_advisory_xact_lock(" + SigningKeys.KEY_LOCK + ")").single();
    }

    private boolean tryLock() {
        return (Boolean) db.query("select pg_try_advisory_xact_lock(" + SigningKeys.KEY_LOCK + ")").single();
    }
}
