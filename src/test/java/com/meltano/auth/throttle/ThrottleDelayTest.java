package com.meltano.auth.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ThrottleDelayTest {

    @Test
    void delayWhenFailuresGrowThenZeroThenDoublingThenCapped() {
        assertThat(Throttle.delayAfter(1)).isZero();
        assertThat(Throttle.delayAfter(Throttle.FREE_FAILURES)).isZero();
        assertThat(Throttle.delayAfter(Throttle.FREE_FAILURES + 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Throttle.delayAfter(Throttle.FREE_FAILURES + 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Throttle.delayAfter(Throttle.FREE_FAILURES + 4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(Throttle.delayAfter(1_000_000)).isEqualTo(Throttle.MAX_DELAY);
    }
}
