package com.meltano.auth.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @TempDir
    Path pgData;

    /** A pid file as PostgreSQL 14 writes it (pidfile.h): pid, data directory, start time, port, socket directory, listen address, shared memory key, status. */
    private void pidFile(long pid, long startedAt, int port, String status) throws Exception {
        Files.writeString(pgData.resolve("postmaster.pid"), pid + "\n" + pgData + "\n" + startedAt + "\n" + port + "\n\n127.0.0.1\n"
                + "  5432001         0\n" + String.format("%-8s", status) + "\n", StandardCharsets.US_ASCII);
    }

    @Test
    void readyWhenPidFileOfThisStartSaysReadyThenReady() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        pidFile(ProcessHandle.current().pid(), now, 45999, "ready");

        assertThat(Postmaster.ready(pgData, 45999, now - 1)).isTrue();
    }

    @Test
    void readyWhenPostmasterStillStartingOrFileHalfWrittenThenNotYet() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        pidFile(ProcessHandle.current().pid(), now, 45999, "starting");
        assertThat(Postmaster.ready(pgData, 45999, now - 1)).isFalse();

        Files.writeString(pgData.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + pgData + "\n", StandardCharsets.US_ASCII);
        assertThat(Postmaster.ready(pgData, 45999, now - 1)).isFalse();

        Files.delete(pgData.resolve("postmaster.pid"));
        assertThat(Postmaster.ready(pgData, 45999, now - 1)).isFalse();
    }

    @Test
    void readyWhenPidFileIsAnOlderServersOrAnotherPortsOrItsProcessIsGoneThenNotReady() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        pidFile(ProcessHandle.current().pid(), now - 3600, 45999, "ready");
        assertThat(Postmaster.ready(pgData, 45999, now - 1)).as("left by a server an hour ago").isFalse();

        pidFile(ProcessHandle.current().pid(), now, 45998, "ready");
        assertThat(Postmaster.ready(pgData, 45999, now - 1)).as("another port").isFalse();

        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        pidFile(ended.pid(), now, 45999, "ready");
        assertThat(Postmaster.ready(pgData, 45999, now - 1)).as("its process ended").isFalse();
    }
}
