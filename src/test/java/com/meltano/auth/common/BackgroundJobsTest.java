package com.meltano.auth.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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

    @Test
    void runWhenNotStoppingThenWorkRunsCountedAndItsResultReturned() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FutureTask<String> run = new FutureTask<>(() -> jobs.run("test work", () -> {
            inside.countDown();
            release.await(10, TimeUnit.SECONDS);
            return "sent";
        }));
        new Thread(run).start();
        try {
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(jobs.running()).isEqualTo(1);
        } finally {
            release.countDown();
        }
        assertThat(run.get(10, TimeUnit.SECONDS)).isEqualTo("sent");
        assertThat(jobs.running()).isZero();
    }

    @Test
    void runWhenStoppingThenWorkSkipped() {
        jobs.stop(Duration.ofSeconds(1));
        AtomicBoolean ran = new AtomicBoolean();

        Object result = jobs.run("test work", () -> ran.getAndSet(true));

        assertThat(ran).as("work ran after the stop").isFalse();
        assertThat(result).isNull();
    }

    @Test
    void runWhenWorkFailsThenItsExceptionPassesAndItNoLongerCounts() {
        assertThatThrownBy(() -> jobs.run("test work", () -> {
            throw new IllegalStateException("the database is away");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(jobs.running()).isZero();
        assertThat(jobs.stop(Duration.ofMillis(50))).as("a stop waits for a failed run").isZero();
    }
}
