package com.meltano.auth.common;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduler;

/**
 * Counts {@link ServingStarted} events in the running application (one instance per start), and
 * whether the scheduled jobs were running when it fired.
 */
@ApplicationScoped
public class ServingStartedWatcher {

    private final AtomicInteger fired = new AtomicInteger();

    private volatile boolean jobsRunningWhenFired;

    @Inject
    Scheduler scheduler;

    void on(@Observes ServingStarted event) {
        jobsRunningWhenFired = scheduler.isRunning();
        fired.incrementAndGet();
    }

    boolean jobsRunningWhenFired() {
        return jobsRunningWhenFired;
    }

    int fired() {
        return fired.get();
    }
}
