package com.meltano.auth.boot;

import javax.sql.DataSource;

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
 * start is off, as it would run before the database is ready. A schema whose history already
 * holds every migration of this build is left as it is without loading Flyway ({@link SchemaHistory}).
 *
 * <p>Flyway is configured here, with its own API, and only when there is something to migrate:
 * Quarkus' Flyway extension is disabled ({@code quarkus.flyway.enabled=false}), as its beans are
 * made at every start, migration or not, even when made inactive (Flyway's configuration and
 * instance: 0.06 to 0.14 s of the main thread of a server's start). Flyway finds the migrations on
 * the class path itself.
 */
@ApplicationScoped
class SchemaMigration {

    /** Before every other observer of the start, Quarkus' scheduler included. */
    static final int PRIORITY = -1000;

    /** The newest migration under {@code db/migration}: raise it with each new one (SchemaHistoryTest checks). */
    static final int NEWEST_VERSION = 15;

    @Inject
    DataSource dataSource;

    /** Where the migrations are, as Flyway's default names it. */
    static final String LOCATION = "classpath:db/migration";

    void migrate(@Observes @Priority(PRIORITY) StartupEvent event) {
        DatabaseStart.awaitReady();
        if (!SchemaHistory.isCurrent(dataSource, NEWEST_VERSION)) {
            Flyway.configure(SchemaMigration.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(LOCATION)
                    .baselineOnMigrate(false)
                    .load()
                    .migrate();
        }
    }
}
