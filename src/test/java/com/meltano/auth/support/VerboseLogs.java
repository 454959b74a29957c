package com.meltano.auth.support;

import java.util.Map;

/**
 * The test profile of the log secrecy tests (SPEC sections 1, 10 and 12): everything turned up
 * and written to a file of this JVM from the first line of start-up, so that bootstrap (which
 * handles the admin password and the bootstrap client secret) is covered too, and an SMTP server
 * that takes a login. Our own categories at TRACE, the HTTP access log on, and the SMTP client
 * turned up both through its parent ({@code io.vertx} at DEBUG) and in its own category
 * ({@code io.vertx.ext.mail} at DEBUG), where it would write every line it sends, mail bodies and
 * their links included: its build-time minimum level keeps it at INFO whatever the runtime
 * configuration says.
 */
public class VerboseLogs extends MailServer.WithLogin {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.log.category.\"com.meltano\".level", "TRACE",
                "quarkus.log.category.\"com.meltano\".min-level", "TRACE",
                "quarkus.log.category.\"io.quarkus.mailer\".level", "DEBUG",
                "quarkus.log.category.\"io.vertx\".level", "DEBUG",
                "quarkus.log.category.\"io.vertx.ext.mail\".level", "DEBUG",
                "quarkus.http.access-log.enabled", "true",
                "quarkus.log.file.enabled", "true",
                // one file per JVM, so that a run never reads an earlier run's log
                "quarkus.log.file.path", "target/logsecrecy-" + ProcessHandle.current().pid() + ".log");
    }
}
