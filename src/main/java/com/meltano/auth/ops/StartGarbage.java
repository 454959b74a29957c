package com.meltano.auth.ops;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.meltano.auth.common.ServingStarted;

/**
 * One full collection when a server's start is done. A start leaves some 15 MiB of garbage behind
 * (migrations checked, configuration and templates read, classes loaded) that the young
 * collections of the start promoted into the old generation; under a steady token load the old
 * generation does not fill again, so no full collection ever comes to take it back, and the
 * process keeps it as resident memory for good. Collected once here, the launcher's heap settings
 * (README, "Memory and start time") give the memory back to the system. It costs one pause of
 * 40 to 50 ms before the server listens; {@code -XX:+DisableExplicitGC} turns it off.
 */
@ApplicationScoped
public class StartGarbage {

    /** After every other start observer (those without a priority have 2500). */
    void collect(@Observes @Priority(10_000) ServingStarted event) {
        System.gc();
    }
}
