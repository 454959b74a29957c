package com.meltano.auth.throttle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Failed-credential throttling (SPEC section 4): a capped, growing delay per (subject, source
 * address), kept in PostgreSQL so that every replica sees it. Keyed by address as well as subject
 * so that a stranger's failures never lock the owner out from elsewhere: a correct credential from
 * another address is never refused.
 */
@ApplicationScoped
public class Throttle {

    /** Failures allowed before any delay (typos happen). */
    static final int FREE_FAILURES = 5;
    static final Duration MAX_DELAY = Duration.ofMinutes(5);

    public enum Kind { CLIENT, ACCOUNT }

    @Inject
    EntityManager em;

    /**
     * How long the caller must still wait; empty when not blocked. The second value of the result
     * says whether a row exists, so that a success knows whether there is anything to clear.
     */
    public Check check(Kind kind, String subject, String address) {
        @SuppressWarnings("unchecked")
        List<Object> rows = QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery(
                "select blocked_until from auth_throttle where kind = ?1 and subject = ?2 and address = ?3")
                .setParameter(1, kind.name()).setParameter(2, subject).setParameter(3, address).getResultList());
        if (rows.isEmpty()) {
            return Check.CLEAR;
        }
        Instant blockedUntil = (Instant) rows.get(0);
        Duration wait = Duration.between(Instant.now(), blockedUntil);
        return new Check(wait.isNegative() || wait.isZero() ? Optional.empty() : Optional.of(wait), true);
    }

    public record Check(Optional<Duration> delay, boolean hasRecord) {
        public static final Check CLEAR = new Check(Optional.empty(), false);

        /** Whole seconds for {@code Retry-After}, at least 1. */
        public long retryAfterSeconds() {
            return delay.map(w -> Math.max(1, (w.toMillis() + 999) / 1000)).orElse(0L);
        }
    }

    /** Records a failure in its own transaction, so that it stays even though the request fails. */
    public void recordFailure(Kind kind, String subject, String address) {
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            Number failures = (Number) em.createNativeQuery("insert into auth_throttle (kind, subject, address, failures, blocked_until, updated_at)"
                    + " values (?1, ?2, ?3, 1, ?4, ?4)"
                    + " on conflict (kind, subject, address) do update set failures = auth_throttle.failures + 1, updated_at = ?4"
                    + " returning failures")
                    .setParameter(1, kind.name()).setParameter(2, subject).setParameter(3, address).setParameter(4, now)
                    .getSingleResult();
            Duration delay = delayAfter(failures.intValue());
            if (!delay.isZero()) {
                em.createNativeQuery("update auth_throttle set blocked_until = ?4 where kind = ?1 and subject = ?2 and address = ?3")
                        .setParameter(1, kind.name()).setParameter(2, subject).setParameter(3, address)
                        .setParameter(4, now.plus(delay)).executeUpdate();
            }
        });
    }

    public void clear(Kind kind, String subject, String address) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "delete from auth_throttle where kind = ?1 and subject = ?2 and address = ?3")
                .setParameter(1, kind.name()).setParameter(2, subject).setParameter(3, address).executeUpdate());
    }

    /** 0 for the first few failures, then 1 s, 2 s, 4 s ... up to {@link #MAX_DELAY}. */
    static Duration delayAfter(int failures) {
        if (failures <= FREE_FAILURES) {
            return Duration.ZERO;
        }
        int exponent = Math.min(failures - FREE_FAILURES - 1, 20);
        Duration delay = Duration.ofSeconds(1L << exponent);
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }
}
