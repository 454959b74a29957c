package com.meltano.auth.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A server fires {@link ServingStarted} once at start, so its listeners and bootstrap run; its
 * scheduled jobs start after that, never beside a start that may still fail; a background job in
 * flight is counted, so that a shutdown waits for it.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RunModeTest {

    @Inject
    ServingStartedWatcher watcher;

    @Inject
    Scheduler scheduler;

    @Inject
    BackgroundJobs jobs;

    @Inject
    HeldJob heldJob;

    @Test
    void startWhenServerThenServingStartedFiredOnce() {
        assertThat(watcher.fired()).isEqualTo(1);
    }

    @Test
    void startWhenServerThenScheduledJobsRunOnlyAfterServingStarted() {
        assertThat(watcher.jobsRunningWhenFired()).as("jobs running while the start goes on").isFalse();
        assertThat(scheduler.isRunning()).as("jobs running once the server serves").isTrue();
    }

    @Test
    void backgroundJobWhenRunningThenCountedUntilItEnds() throws Exception {
        int before = jobs.running();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
            try {
                heldJob.run(started, release);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(jobs.running()).as("jobs in flight while it runs").isEqualTo(before + 1);
        } finally {
            release.countDown();
        }
        run.get(10, TimeUnit.SECONDS);
        assertThat(jobs.running()).as("jobs in flight once it ended").isEqualTo(before);
    }
}
