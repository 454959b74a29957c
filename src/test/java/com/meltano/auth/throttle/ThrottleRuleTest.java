package com.meltano.auth.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The reservation rule, case by case: attempts in progress count as if they had failed. */
class ThrottleRuleTest {

    private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");
    private static final Instant FRESH = NOW.minusSeconds(1);
    private static final Instant STALE = NOW.minus(ThrottleRule.PENDING_LIFETIME).minusSeconds(1);
    private static final int FREE = ThrottleRule.FREE_FAILURES;

    static Stream<Arguments> cases() {
        return Stream.of(
                // name, failures, pending, pending since, blocked until, expected wait (null = allowed)
                Arguments.of("no row", 0, 0, null, Instant.EPOCH, null),
                Arguments.of("free failures left, nothing in progress", FREE - 1, 0, null, NOW.minusSeconds(5), null),
                Arguments.of("after the free failures, the delay has passed: one more try", FREE + 3, 0, null, NOW, null),
                Arguments.of("blocked", FREE + 1, 0, null, NOW.plusSeconds(1), Duration.ofSeconds(1)),
                Arguments.of("blocked wins over pending", FREE + 2, 1, FRESH, NOW.plusSeconds(30), Duration.ofSeconds(30)),
                Arguments.of("in progress all failing would stay free", 0, FREE, FRESH, Instant.EPOCH, null),
                Arguments.of("in progress all failing would block: wait", 0, FREE + 1, FRESH, Instant.EPOCH, Duration.ofSeconds(1)),
                Arguments.of("failures and in progress add up", 3, FREE - 2, FRESH, Instant.EPOCH, Duration.ofSeconds(1)),
                Arguments.of("failures and in progress still free", 3, FREE - 3, FRESH, Instant.EPOCH, null),
                Arguments.of("past the free failures, one in progress", FREE + 1, 1, FRESH, NOW.minusSeconds(1), Duration.ofSeconds(2)),
                Arguments.of("reservations of a crashed process expire", FREE + 1, 40, STALE, NOW.minusSeconds(1), null),
                Arguments.of("expired reservations do not hide a block", FREE + 1, 40, STALE, NOW.plusSeconds(1), Duration.ofSeconds(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void waitWhenRowInStateThenAllowedOrTold(String name, int failures, int pending, Instant pendingSince, Instant blockedUntil,
            Duration expected) {
        Optional<Duration> wait = ThrottleRule.wait(new ThrottleRule.State(failures, pending, pendingSince, blockedUntil), NOW);

        assertThat(wait).as(name).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void reserveWhenGuessesArriveTogetherThenExactlyFreeFailuresPlusOneChecked() {
        // N reservations, none settled yet: the rule lets through exactly as many as N sequential failures would
        ThrottleRule.State s = ThrottleRule.State.NONE;
        int allowed = 0;
        for (int i = 0; i < 40; i++) {
            if (ThrottleRule.wait(s, NOW).isEmpty()) {
                allowed++;
                s = new ThrottleRule.State(s.failures(), s.livePending(NOW) + 1, NOW, s.blockedUntil());
            }
        }

        assertThat(allowed).isEqualTo(FREE + 1);
    }

    @Test
    void delayWhenFailuresGrowThenZeroThenDoublingThenCapped() {
        assertThat(ThrottleRule.delayAfter(1)).isZero();
        assertThat(ThrottleRule.delayAfter(FREE)).isZero();
        assertThat(ThrottleRule.delayAfter(FREE + 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(ThrottleRule.delayAfter(FREE + 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(ThrottleRule.delayAfter(FREE + 4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(ThrottleRule.delayAfter(1_000_000)).isEqualTo(ThrottleRule.MAX_DELAY);
    }

    @Test
    void secondsWhenPartialThenRoundedUpAndAtLeastOne() {
        assertThat(ThrottleRule.seconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(ThrottleRule.seconds(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(ThrottleRule.seconds(Duration.ZERO)).isEqualTo(1);
    }
}
