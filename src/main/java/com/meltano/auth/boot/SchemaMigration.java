package com.meltano.auth.boot;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;

import io.quarkus.runtime.StartupEvent;

/**
 * The schema migrated when the server starts (SPEC section 2), once the database started beside
 * Quarkus' initialisation is ready ({@link DatabaseStart}). The first observer of the start, before
 * the scheduler (priority 0) and every bean that reads the database; Quarkus' own migration at
 * start is off, as it would run before the database is ready.
 */
@ApplicationScoped
class SchemaMigration {

    /** Before every other observer of the start, Quarkus' scheduler included. */
    static final int PRIORITY = -1000;

    @Inject
    Flyway flyway;

    void migrate(@Observes @Priority(PRIORITY) StartupEvent event) {
        DatabaseStart.awaitReady();
        flyway.migrate();
    }
}
