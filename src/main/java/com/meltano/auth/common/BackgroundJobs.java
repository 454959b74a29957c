package com.meltano.auth.common;

import java.time.Duration;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * The background work in flight ({@link BackgroundJob} methods, and work started on a thread of
 * its own through {@link #run}), and whether more may start: none once {@link #stop} was called,
 * the first thing a shutdown does ({@link RunMode}).
 */
@Singleton
public class BackgroundJobs {

    private static final Logger LOG = Logger.getLogger(BackgroundJobs.class);

    private int running;
    private boolean stopping;

    /** Work that may throw {@code E}. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code work} now, counted while it runs, unless the server is stopping: then it is
     * skipped and {@code null} returned.
     *
     * @param name what the work is, for the debug log of a skipped run
     */
    public <T, E extends Exception> T run(String name, Work<T, E> work) throws E {
        if (!tryStart()) {
            LOG.debugf("%s skipped: the server is stopping", name);
            return null;
        }
        try {
            return work.run();
        } finally {
            finished();
        }
    }

    /** Whether a run may start now; if it may, it counts as running until {@link #finished()}. */
    synchronized boolean tryStart() {
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
    synchronized void finished() {
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
        long left;
        while (running > 0 && (left = deadline - System.nanoTime()) > 0) {
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (running > 0) {
            LOG.warnf("stopping with %d background job(s) still running after %d s", running, patience.toSeconds());
        }
        return running;
    }
}
