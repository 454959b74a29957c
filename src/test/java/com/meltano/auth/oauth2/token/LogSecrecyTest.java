package com.meltano.auth.oauth2.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * SPEC sections 1 and 10: logs never contain a client secret or a full access token, here with
 * the default log configuration; {@link LogSecrecyTraceTest} repeats it with everything turned up.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class LogSecrecyTest {

    /** Every record that reaches the root logger, with message, parameters and stack trace as text. */
    static final class Capture extends Handler {
        final List<String> records = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void publish(LogRecord r) {
            StringBuilder s = new StringBuilder(r.getLoggerName() + " " + r.getLevel() + " " + r.getMessage());
            if (r instanceof ExtLogRecord ext) {
                s.append(" | ").append(ext.getFormattedMessage());
            }
            if (r.getParameters() != null) {
                for (Object p : r.getParameters()) {
                    s.append(" | ").append(p);
                }
            }
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                s.append(" | ").append(trace);
            }
            records.add(s.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void logWhenClientsCreatedAndTokensIssuedOrRefusedThenNoSecretOrTokenLogged() {
        Capture capture = new Capture();
        Logger root = Logger.getLogger("");
        String canary = "log-secrecy-canary-" + UUID.randomUUID();
        List<String> secrets;
        root.addHandler(capture);
        try {
            org.jboss.logging.Logger.getLogger("com.meltano.auth.test").info(canary);
            secrets = LeakProbe.run();
        } finally {
            root.removeHandler(capture);
        }

        List<String> records = List.copyOf(capture.records);
        assertThat(records).as("the handler sees the server's log").anyMatch(r -> r.contains(canary));
        for (String secret : secrets) {
            assertThat(records.stream().filter(r -> r.contains(secret)).toList())
                    .as("log records containing the secret or token %s", secret).isEmpty();
        }
    }
}
