package com.meltano.auth.common;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

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
 */
@ApplicationScoped
public class RunMode {

    /** {@code true} while a command of the command line runs. */
    public static final String COMMAND_LINE = "meltano-auth.command-line";

    @ConfigProperty(name = COMMAND_LINE, defaultValue = "false")
    boolean commandLine;

    @Inject
    Event<ServingStarted> serving;

    @Inject
    Scheduler scheduler;

    /** After the signing keys (100) and the secret hash key (110), which a command needs too. */
    void onStart(@Observes @Priority(150) StartupEvent event) {
        if (!commandLine) {
            serving.fire(new ServingStarted());
            scheduler.resume();
        }
    }
}
