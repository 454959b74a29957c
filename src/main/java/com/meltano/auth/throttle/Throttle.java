package com.meltano.auth.throttle;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.ExpiringRows;
import com.meltano.auth.common.Sql;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Failed-credential throttling (SPEC section 4): a capped, growing delay per (subject, source
 * address), kept in PostgreSQL so that every replica sees it. Keyed by address as well as subject
 * so that a stranger's failures never lock the owner out from elsewhere: a correct credential from
 * another address is never refused.
 *
 * <p>Every check of a credential goes through here, in one of two shapes. A slow check (Argon2id)
 * is {@link #attempt reserved} before it runs and settled after, so that attempts in progress
 * count (ThrottleRule): the reservation locks the row, applies the rule and commits, and only then
 * does the check run. A check whose result is known at once (an HMAC, a pure function revealed only
 * by the response) is {@link #decide decided}: the rule and the record are applied together under
 * the row lock, in the caller's transaction, before anything is answered. Either way N parallel
 * guesses are serialised on the row exactly as N sequential ones.
 */
@ApplicationScoped
public class Throttle implements ExpiringRows {

    /** {@code MAIL}: requests that send mail (SPEC section 12), counted whatever their outcome. */
    public enum Kind { CLIENT, ACCOUNT, MAIL }

    @Inject
    Sql db;

    /**
     * Reserves an attempt, runs the (slow) check outside any transaction of ours, settles the attempt.
     *
     * @return the check's result
     * @throws Throttled when the attempt may not be checked now (the check was not run)
     */
    public boolean attempt(Kind kind, String subject, String address, BooleanSupplier check) {
        QuarkusTransaction.requiringNew().run(() -> reserve(kind, subject, address));
        boolean ok;
        try {
            ok = check.getAsBoolean();
        } catch (RuntimeException | Error e) {
            QuarkusTransaction.requiringNew().run(() -> release(kind, subject, address));
            throw e;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            if (ok) {
                clear(kind, subject, address);
            } else {
                recordFailure(kind, subject, address, true);
            }
        });
        return ok;
    }

    /** What {@link #decide} did, for callers that keep a cached "no records" flag. */
    public record Decision(boolean correct, boolean firstRecord, boolean subjectClear) {
    }

    /**
     * Applies the rule to a check whose result is already known and records it, all in the caller's
     * (required) transaction, under the row lock: a wrong credential is counted or throttled, a
     * correct one is throttled or clears the row. Nothing about the result may have been revealed
     * before the caller's transaction commits.
     *
     * @return {@code firstRecord}: this failure created the row (callers that cache "the subject has
     *         no records" must forget it); {@code subjectClear}: a success left no row at all for the
     *         subject (they may learn it again)
     * @throws Throttled when the attempt is refused (nothing recorded)
     */
    public Decision decide(Kind kind, String subject, String address, boolean correct) {
        Instant now = now();
        if (correct) {
            Optional<ThrottleRule.State> row = lockedRow(kind, subject, address);
            if (row.isPresent()) {
                refuseIfWaiting(row.get(), now);
                clear(kind, subject, address);
            }
            return new Decision(true, false, !hasRecords(kind, subject));
        }
        Locked locked = lockedOrInserted(kind, subject, address, now);
        refuseIfWaiting(locked.state(), now);
        recordFailure(kind, subject, address, false);
        return new Decision(false, locked.inserted(), false);
    }

    /** Whether the subject has any throttle row at all (for the callers' "no records" flag). */
    public boolean hasRecords(Kind kind, String subject) {
        return !db.query("select 1 from auth_throttle where kind = ?1 and subject = ?2 limit 1")
                .bind(1, kind.name()).bind(2, subject).list().isEmpty();
    }

    /** The attempt may not be checked now: wait this long. Carries no credential and no stack. */
    public static final class Throttled extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Duration wait;

        Throttled(Duration wait) {
            super("too many failed attempts", null, false, false);
            this.wait = wait;
        }

        /** Whole seconds, at least 1, for {@code Retry-After} and the pages. */
        public long retryAfterSeconds() {
            return ThrottleRule.seconds(wait);
        }
    }

    // ------------------------------------------------------------------ the row

    private record Locked(ThrottleRule.State state, boolean inserted) {
    }

    private void reserve(Kind kind, String subject, String address) {
        Instant now = now();
        ThrottleRule.State s = lockedOrInserted(kind, subject, address, now).state();
        refuseIfWaiting(s, now);
        db.query("update auth_throttle set pending = ?4, pending_since = ?5, updated_at = ?5"
                + " where kind = ?1 and subject = ?2 and address = ?3")
                .bind(1, kind.name()).bind(2, subject).bind(3, address)
                .bind(4, s.livePending(now) + 1).bind(5, now).update();
    }

    private static void refuseIfWaiting(ThrottleRule.State s, Instant now) {
        Optional<Duration> wait = ThrottleRule.wait(s, now);
        if (wait.isPresent()) {
            throw new Throttled(wait.get());
        }
    }

    /**
     * The row, created empty when missing, locked until the transaction ends: every attempt on the
     * same (subject, address) queues here, which is what makes parallel attempts sequential.
     * {@code xmax = 0} tells a freshly inserted row from an existing one.
     */
    private Locked lockedOrInserted(Kind kind, String subject, String address, Instant now) {
        Object[] r = (Object[]) db.query("insert into auth_throttle"
                + " (kind, subject, address, failures, pending, blocked_until, updated_at) values (?1, ?2, ?3, 0, 0, 'epoch', ?4)"
                + " on conflict (kind, subject, address) do update set updated_at = auth_throttle.updated_at"
                + " returning failures, pending, pending_since, blocked_until, (xmax = 0)")
                .bind(1, kind.name()).bind(2, subject).bind(3, address).bind(4, now)
                .single();
        return new Locked(state(r), (Boolean) r[4]);
    }

    private Optional<ThrottleRule.State> lockedRow(Kind kind, String subject, String address) {
        List<Object[]> rows = db.query("select failures, pending, pending_since, blocked_until from auth_throttle"
                + " where kind = ?1 and subject = ?2 and address = ?3 for update")
                .bind(1, kind.name()).bind(2, subject).bind(3, address).list();
        return rows.stream().findFirst().map(Throttle::state);
    }

    /** PostgreSQL keeps microseconds: compare what was stored with what it will read back. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static ThrottleRule.State state(Object[] r) {
        return new ThrottleRule.State(((Number) r[0]).intValue(), ((Number) r[1]).intValue(), (Instant) r[2], (Instant) r[3]);
    }

    /** One more failure; {@code settlesReservation} when it ends an attempt that {@link #reserve} counted. */
    private void recordFailure(Kind kind, String subject, String address, boolean settlesReservation) {
        Instant now = now();
        // upsert: a success may have cleared the row while this attempt was in progress
        Number failures = (Number) db.query("insert into auth_throttle"
                + " (kind, subject, address, failures, pending, blocked_until, updated_at) values (?1, ?2, ?3, 1, 0, 'epoch', ?4)"
                + " on conflict (kind, subject, address) do update set failures = auth_throttle.failures + 1,"
                + " pending = greatest(auth_throttle.pending - ?5, 0), updated_at = ?4 returning failures")
                .bind(1, kind.name()).bind(2, subject).bind(3, address).bind(4, now)
                .bind(5, settlesReservation ? 1 : 0).single();
        Instant blockedUntil = ThrottleRule.blockedUntilAfterFailure(failures.intValue(), now);
        if (blockedUntil.isAfter(now)) {
            db.query("update auth_throttle set blocked_until = greatest(blocked_until, ?4)"
                    + " where kind = ?1 and subject = ?2 and address = ?3")
                    .bind(1, kind.name()).bind(2, subject).bind(3, address)
                    .bind(4, blockedUntil).update();
        }
    }

    /** The check did not finish (an error, not a wrong credential): give the reservation back. */
    private void release(Kind kind, String subject, String address) {
        db.query("update auth_throttle set pending = greatest(pending - 1, 0)"
                + " where kind = ?1 and subject = ?2 and address = ?3")
                .bind(1, kind.name()).bind(2, subject).bind(3, address).update();
    }

    private void clear(Kind kind, String subject, String address) {
        db.query("delete from auth_throttle where kind = ?1 and subject = ?2 and address = ?3")
                .bind(1, kind.name()).bind(2, subject).bind(3, address).update();
    }

    /** Counters untouched since the cutoff and no longer blocking anything start over from nothing. */
    @Override
    @Transactional
    public int deleteExpired(Instant cutoff) {
        return db.query("delete from auth_throttle where updated_at < ?1 and blocked_until < now()").bind(1, cutoff).update();
    }

    /**
     * A request that makes the server send mail (a reset, a verification, a registration; SPEC
     * section 12), throttled per (email, source address) by the same rule as every credential:
     * every request counts, whether or not the email has an account, so the answer (and its wait)
     * is the same for both. Runs in the caller's transaction, before anything is queued.
     *
     * @throws Throttled when this email or this address must wait (nothing recorded)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void mailRequest(String normalizedEmail, String address) {
        decide(Kind.MAIL, normalizedEmail, address, false);
    }
}
