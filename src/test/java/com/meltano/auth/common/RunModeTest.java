package com.meltano.auth.common;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A server fires {@link ServingStarted} once at start, so its listeners and bootstrap run. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RunModeTest {

    @Inject
    ServingStartedWatcher watcher;

    @Test
    void startWhenServerThenServingStartedFiredOnce() {
        assertThat(watcher.fired()).isEqualTo(1);
    }
}
