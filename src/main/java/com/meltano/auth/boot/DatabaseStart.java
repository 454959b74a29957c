package com.meltano.auth.boot;

import com.meltano.auth.config.StartupFailure;

/**
 * The server's database start (the embedded PostgreSQL started, or the external one reached, and
 * the {@link Preflight} checks), run on its own thread while Quarkus initialises: that takes as
 * long again, and touches no database before its first {@code StartupEvent} observer,
 * {@link SchemaMigration}, which waits here. A start that failed fails the server's start there,
 * with its one line.
 *
 * <p>One per process, kept in a static field: it is handed from the launcher, before Quarkus
 * runs, to a bean. Without one (tests, which start Quarkus themselves) there is nothing to wait for.
 */
final class DatabaseStart {

    /** The database work: {@link StartupFailure} for a failure with its own line. */
    interface Work {
        void run() throws Exception;
    }

    private static volatile DatabaseStart current;

    /** Null for a start already done. */
    private final Thread thread;
    private volatile StartupFailure failure;

    private DatabaseStart() {
        thread = null;
    }

    private DatabaseStart(Work work) {
        thread = new Thread(() -> {
            try {
                work.run();
            } catch (Exception e) {
                failure = MeltanoAuthMain.named(e);
            }
        }, "meltano-auth-database-start");
        thread.setDaemon(true);
    }

    /** Starts {@code work} on its own thread; {@link #awaitReady()} waits for it. */
    static DatabaseStart inBackground(Work work) {
        DatabaseStart start = new DatabaseStart(work);
        current = start;
        start.thread.start();
        return start;
    }

    /** A start done before Quarkus runs (a command's): nothing to wait for. */
    static DatabaseStart done() {
        return new DatabaseStart();
    }

    /** Waits for the database start of this process, if any; throws its failure. */
    static void awaitReady() {
        DatabaseStart start = current;
        if (start == null) {
            return;
        }
        start.await();
        if (start.failure != null) {
            throw start.failure;
        }
    }

    /** Waits for the work to end, however it ended. */
    void await() {
        boolean interrupted = false;
        while (thread != null && thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                // the database may be starting: it must be stopped by whoever waits, so wait on
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The failure, once {@link #await()} returned; null when the database is ready. */
    StartupFailure failure() {
        return failure;
    }
}
