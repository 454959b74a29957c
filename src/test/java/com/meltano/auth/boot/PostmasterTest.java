package com.meltano.auth.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * How a stop learns that the embedded PostgreSQL has ended. The postmaster is not the server's
 * child: when it exits, it stays a zombie until the process that adopted it reaps it, which a
 * container's or a sandbox's first process may do late or never.
 */
class PostmasterTest {

    @Test
    void awaitExitWhenProcessIsAZombieNobodyReapsThenEndedAtOnce() throws Exception {
        // the shell starts a short child, then becomes a long sleep that never reaps it
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.2 & echo $!; exec sleep 60").start();
        try {
            long pid = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine().trim());
            ProcessHandle child = ProcessHandle.of(pid).orElseThrow();

            assertThat(Postmaster.awaitExit(child, Duration.ofSeconds(30))).isTrue();

            assertThat(child.isAlive()).as("still unreaped: the JDK counts it alive, the wait did not wait for a reaper").isTrue();
            assertThat(Postmaster.hasEnded(child)).isTrue();
            assertThat(parent.isAlive()).isTrue();
        } finally {
            parent.destroy();
        }
    }

    @Test
    void awaitExitWhenProcessRunsThenFalseAfterTheTimeoutAndTrueOnceItIsGone() throws Exception {
        Process running = new ProcessBuilder("sleep", "60").start();
        try {
            assertThat(Postmaster.awaitExit(running.toHandle(), Duration.ofMillis(200))).isFalse();
            assertThat(Postmaster.hasEnded(running.toHandle())).isFalse();
        } finally {
            running.destroy();
        }
        assertThat(Postmaster.awaitExit(running.toHandle(), Duration.ofSeconds(30))).isTrue();
    }
}
