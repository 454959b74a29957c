package com.meltano.auth.common;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Counts {@link ServingStarted} events in the running application (one instance per start). */
@ApplicationScoped
public class ServingStartedWatcher {

    private final AtomicInteger fired = new AtomicInteger();

    void on(@Observes ServingStarted event) {
        fired.incrementAndGet();
    }

    int fired() {
        return fired.get();
    }
}
