package com.meltano.auth.common;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A server fires {@link ServingStarted} once at start, so its listeners and bootstrap run; its
 * scheduled jobs start after that, never beside a start that may still fail.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RunModeTest {

    @Inject
    ServingStartedWatcher watcher;

    @Inject
    Scheduler scheduler;

    @Test
    void startWhenServerThenServingStartedFiredOnce() {
        assertThat(watcher.fired()).isEqualTo(1);
    }

    @Test
    void startWhenServerThenScheduledJobsRunOnlyAfterServingStarted() {
        assertThat(watcher.jobsRunningWhenFired()).as("jobs running while the start goes on").isFalse();
        assertThat(scheduler.isRunning()).as("jobs running once the server serves").isTrue();
    }
}
