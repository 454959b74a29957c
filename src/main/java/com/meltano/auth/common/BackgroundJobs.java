package com.meltano.auth.common;

import java.time.Duration;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * The {@link BackgroundJob} runs in flight, and whether new ones may start: none once
 * {@link #stop} was called, the first thing a shutdown does ({@link RunMode}).
 */
@Singleton
public class BackgroundJobs {

    private static final Logger LOG = Logger.getLogger(BackgroundJobs.class);

    private int running;
    private boolean stopping;

    /** Whether a run may start now; if it may, it counts as running until {@link #finished()}. */
    public synchronized boolean tryStart() {
        if (stopping) {
            return false;
        }
        running++;
        return true;
    }

    /** How many runs are in flight now. */
    synchronized int running() {
        return running;
    }

    /** Ends a run {@link #tryStart()} let start. */
    public synchronized void finished() {
        running--;
        if (running == 0) {
            notifyAll();
        }
    }

    /**
     * Lets no run start from now on and waits for those in flight, at most {@code patience}.
     *
     * @return how many still run when it returns (0 unless the patience ran out)
     */
    public synchronized int stop(Duration patience) {
        stopping = true;
        long deadline = System.nanoTime() + patience.toNanos();
        boolean interrupted = false;
        while (running > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (running > 0) {
            LOG.warnf("stopping with %d background job(s) still running after %d s", running, patience.toSeconds());
        }
        return running;
    }
}
