package com.meltano.auth.common;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;

/**
 * Whether this process serves or runs one command of the command line (SPEC section 11: a command
 * never starts the HTTP server, schedulers or listeners). The launcher sets {@value #COMMAND_LINE}
 * either way, so no environment variable can switch a server into command mode; the HTTP server
 * and the schedulers are switched off by their own framework settings, our listeners and bootstrap
 * here, by firing {@link ServingStarted} only for a server.
 *
 * <p>A server's scheduled jobs start once it serves: the scheduler starts halted
 * ({@code quarkus.scheduler.start-mode}) and resumes after {@link ServingStarted}, so that no job
 * runs beside a start that fails (a wrong PKCS#11 setting, say) and is cut off by its shutdown.
 * Symmetrically, the shutdown first pauses the scheduler and lets the {@link BackgroundJob} runs in
 * flight finish, before anything they use is torn down.
 */
@ApplicationScoped
public class RunMode {

    /** {@code true} while a command of the command line runs. */
    public static final String COMMAND_LINE = "meltano-auth.command-line";

    /** How long a shutdown waits for background jobs in flight (a mail being sent, a key rotation). */
    static final Duration JOBS_STOP_PATIENCE = Duration.ofSeconds(10);

    @ConfigProperty(name = COMMAND_LINE, defaultValue = "false")
    boolean commandLine;

    @Inject
    Event<ServingStarted> serving;

    @Inject
    Scheduler scheduler;

    @Inject
    BackgroundJobs jobs;

    /** After the signing keys (100) and the secret hash key (110), which a command needs too. */
    void onStart(@Observes @Priority(150) StartupEvent event) {
        if (!commandLine) {
            serving.fire(new ServingStarted());
            scheduler.resume();
        }
    }

    /** The first observer of the shutdown: no background job starts from here on, and those in flight finish. */
    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        if (scheduler.isRunning()) {
            scheduler.pause();
        }
        jobs.stop(JOBS_STOP_PATIENCE);
    }
}
