package com.meltano.auth.common;

/**
 * Fired once at start, after the {@code StartupEvent} work every process needs (migrations, keys),
 * when this process is the server; a command of the command line (SPEC section 11) never sees it.
 * Start work that only serving needs (listeners, bootstrap, caches) observes this event instead of
 * {@code StartupEvent}, so that whether a process serves is decided in one place: {@link RunMode}.
 */
public record ServingStarted() {
}
