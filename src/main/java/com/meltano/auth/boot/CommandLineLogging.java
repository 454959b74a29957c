package com.meltano.auth.boot;

import java.util.logging.Handler;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * SPEC section 11: a command prints only its answer on standard output; logs go to standard error,
 * warnings and worse only. Quarkus applies that from the two settings below once it runs; before
 * then (while the embedded PostgreSQL starts) its build-time log setup writes every INFO line to
 * standard output, so its console handlers are turned to standard error here.
 */
final class CommandLineLogging {

    private CommandLineLogging() {
    }

    static void toStandardErrorWarningsOnly() {
        System.setProperty("quarkus.log.console.stderr", "true");
        System.setProperty("quarkus.log.level", "WARN");
        Logger root = LogContext.getLogContext().getLogger("");
        root.setLevel(org.jboss.logmanager.Level.WARN);
        redirect(root.getHandlers());
    }

    private static void redirect(Handler[] handlers) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler console) {
                console.setTarget(ConsoleHandler.Target.SYSTEM_ERR);
            }
            if (handler instanceof ExtHandler parent) {
                redirect(parent.getHandlers());
            }
        }
    }
}
