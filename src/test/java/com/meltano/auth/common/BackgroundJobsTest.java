package com.meltano.auth.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A stopping server starts no background job and waits for those in flight, within its patience. */
class BackgroundJobsTest {

    private final BackgroundJobs jobs = new BackgroundJobs();

    @Test
    void stopWhenJobInFlightThenWaitsUntilItFinishes() throws Exception {
        assertThat(jobs.tryStart()).isTrue();
        CompletableFuture<Integer> stop = CompletableFuture.supplyAsync(() -> jobs.stop(Duration.ofSeconds(30)));

        Thread.sleep(200);
        assertThat(stop).as("stop returned while a job was still running").isNotDone();
        jobs.finished();
        assertThat(stop.get(10, TimeUnit.SECONDS)).as("jobs still running").isZero();
    }

    @Test
    void tryStartWhenStoppingThenRefusedAndStopDoesNotWait() {
        assertThat(jobs.stop(Duration.ofSeconds(30))).isZero();

        assertThat(jobs.tryStart()).as("a job may start after the stop").isFalse();
        assertThat(jobs.running()).isZero();
    }

    @Test
    void stopWhenPatienceRunsOutThenReturnsHowManyStillRun() {
        assertThat(jobs.tryStart()).isTrue();
        assertThat(jobs.tryStart()).isTrue();
        jobs.finished();

        assertThat(jobs.stop(Duration.ofMillis(50))).isEqualTo(1);
    }

    @Test
    void stopWhenInterruptedThenReturnsAndKeepsTheInterrupt() throws Exception {
        assertThat(jobs.tryStart()).isTrue();
        Thread.currentThread().interrupt();
        try {
            assertThat(jobs.stop(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
