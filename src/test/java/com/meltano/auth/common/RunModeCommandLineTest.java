package com.meltano.auth.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * SPEC section 11: a command starts no listener, no bootstrap and no scheduled job: with
 * {@value RunMode#COMMAND_LINE} set (as the launcher does for a command) {@link ServingStarted},
 * which they observe, never fires, and the scheduler stays halted even where the launcher's own
 * switch is not set.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(RunModeCommandLineTest.CommandLine.class)
class RunModeCommandLineTest {

    /** The launcher's setting for a command. */
    public static class CommandLine implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(RunMode.COMMAND_LINE, "true");
        }
    }

    @Inject
    ServingStartedWatcher watcher;

    @Inject
    Scheduler scheduler;

    @Test
    void startWhenCommandLineThenServingStartedNeverFired() {
        assertThat(watcher.fired()).isZero();
    }

    @Test
    void startWhenCommandLineThenNoScheduledJobRuns() {
        assertThat(scheduler.isRunning()).isFalse();
    }
}
