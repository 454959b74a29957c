package com.meltano.auth.boot;

/**
 * Quarkus' static initialisation: the bean container, the HTTP layer's routes and the
 * extensions' recorded build steps. It reads no runtime configuration and connects to
 * nothing, so the launcher runs it on a second thread while the main thread checks the
 * configuration and locates the database; {@code Quarkus.run} then finds it done.
 *
 * <p>It is also all that Quarkus' package-time archive run does ({@link #recordArchive()}: with
 * {@code quarkus.package.jar.appcds.enabled} on, Quarkus runs the jar with
 * {@code quarkus.appcds.generate=true} and {@code -XX:ArchiveClassesAtExit}; this build leaves it
 * off, and {@code bin/meltano-auth} makes its own cache by a trial run on a throwaway database).
 * That run must not touch data: it starts no database, writes nothing under
 * {@code MELTANO_AUTH_DATA_DIR} and opens no port, so instead of starting the server it loads what
 * every start loads before the database.
 */
final class StaticInit {

    /** The class Quarkus generates for the application; initialising it is the static-init phase. */
    private static final String APPLICATION = "io.quarkus.runner.ApplicationImpl";

    private final Thread thread;
    private volatile Throwable failure;

    private StaticInit() {
        thread = new Thread(this::run, "meltano-auth-static-init");
        thread.setDaemon(true);
    }

    /** Starts the static initialisation on its own thread (with this thread's class loader). */
    static StaticInit startInBackground() {
        StaticInit init = new StaticInit();
        init.thread.start();
        return init;
    }

    /**
     * Waits for it. A failure is not reported here: {@code Quarkus.run} meets it again (the class
     * stays uninitialisable) and reports it through the launcher's one-line exit handler, with
     * {@link #failure()} naming the original cause.
     */
    void await() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the static initialisation threw, or null. */
    Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            Class.forName(APPLICATION, true, Thread.currentThread().getContextClassLoader());
        } catch (Throwable e) {
            // kept for the launcher; an uncaught exception would print a stack trace
            failure = e;
        }
    }

    /** The archive-recording run: the launcher's configuration check (one implementation), then the static initialisation. */
    static void recordArchive() {
        try {
            MeltanoAuthMain.buildConfig();
        } catch (RuntimeException invalidHere) {
            // the package-time environment is not the server's: its classes are loaded all the same
        }
        StaticInit init = startInBackground();
        init.await();
        if (init.failure() != null) {
            throw new IllegalStateException("static initialisation failed (" + init.failure().getClass().getSimpleName() + ")");
        }
    }
}
