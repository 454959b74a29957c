package com.meltano.auth.throttle;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The throttling rule (SPEC section 4) as a pure function of one (subject, address) row, so that
 * it can be read and tested apart from the SQL that locks the row. Attempts still in progress
 * count as failures: N wrong guesses sent at once are allowed exactly as far as N sent one after
 * another would be, i.e. {@link #FREE_FAILURES} + 1 of them get checked, then the delay applies.
 */
final class ThrottleRule {

    /** Failures allowed before any delay (typos happen). */
    static final int FREE_FAILURES = 5;
    static final Duration MAX_DELAY = Duration.ofMinutes(5);
    /**
     * Reservations older than this no longer count: a check takes well under a second (Argon2id
     * about 50 ms, an HMAC microseconds), so an older one belongs to a process that died between
     * reserving and settling, and must not block its (subject, address) for ever.
     */
    static final Duration PENDING_LIFETIME = Duration.ofSeconds(60);

    private ThrottleRule() {
    }

    /** One row of {@code auth_throttle}; {@link #NONE} when there is none. */
    record State(int failures, int pending, Instant pendingSince, Instant blockedUntil) {
        static final State NONE = new State(0, 0, null, Instant.EPOCH);

        /** Reservations that still count at {@code now}. */
        int livePending(Instant now) {
            return pending > 0 && pendingSince != null && pendingSince.plus(PENDING_LIFETIME).isAfter(now) ? pending : 0;
        }
    }

    /**
     * May one more attempt be checked now? Empty when it may; otherwise how long to wait. A blocked
     * row waits for its {@code blocked_until}; otherwise the attempt is allowed when nothing is in
     * progress (there is always one more try after a delay has passed), or when the in-progress
     * attempts, all failing, would still leave no delay.
     */
    static Optional<Duration> wait(State s, Instant now) {
        if (s.blockedUntil().isAfter(now)) {
            return Optional.of(Duration.between(now, s.blockedUntil()));
        }
        int pending = s.livePending(now);
        if (pending == 0) {
            return Optional.empty();
        }
        Duration delay = delayAfter(s.failures() + pending);
        // the attempts in progress decide the real delay when they settle; until then say that much
        return delay.isZero() ? Optional.empty() : Optional.of(delay);
    }

    /** {@code blocked_until} after one more failure at {@code now}. */
    static Instant blockedUntilAfterFailure(int failuresAfter, Instant now) {
        return now.plus(delayAfter(failuresAfter));
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

    /** Whole seconds for {@code Retry-After} and the pages, at least 1. */
    static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
