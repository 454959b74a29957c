package com.meltano.auth.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;

/**
 * Group commit of token issuance (issue 9): a token request hands its record to one writer thread
 * and waits; the writer takes every record that arrived while the previous commit ran (up to
 * {@link #MAX_BATCH}, lingering {@link #LINGER} for more), counts them per key in memory, writes
 * them in one statement (a transaction of its own: {@link TokenIssuanceLog}) and then releases every
 * waiter. A token is thus answered only once its audit record has committed, without a database
 * round trip of its own. If the batch fails, every waiter gets {@link AuditUnavailableException}
 * (the token endpoint answers 503).
 *
 * <p>A batch that waits on the database longer than {@link #STATEMENT_LIMIT} (a lock held elsewhere)
 * is cancelled by the first waiter that gives up after it: the tokens it held were refused, and are
 * not counted later. (The driver's own query timeout would do the same, but it schedules a timer
 * task per statement on a shared timer thread, which cost the writer thread more than the
 * statement itself under full load.)
 */
@ApplicationScoped
public class IssuanceGroupCommit {

    private static final Logger LOG = Logger.getLogger(IssuanceGroupCommit.class);
    static final int MAX_BATCH = 1_000;
    /**
     * No extra wait: the records that arrive while one commit runs form the next batch, so batches
     * grow with the load (and with the commit's fsync time) by themselves. A linger would add its
     * full time to every token at low load, and to clients that wait for one token before asking
     * for the next, for no fewer commits.
     */
    static final Duration LINGER = Duration.ZERO;
    /** How long a token request waits for its batch before it gives up (the record may still commit). */
    static final Duration MAX_WAIT = Duration.ofSeconds(5);
    /** How long a batch may wait on the database before a waiter that gives up cancels it. */
    static final Duration STATEMENT_LIMIT = Duration.ofSeconds(4);
    /** Waiters are worker threads, so the queue is bounded by the worker pool; this only guards memory. */
    static final int MAX_QUEUE = 20_000;

    @Inject
    DataSource dataSource;

    private record Pending(TokenIssuance key, Instant at, CompletableFuture<Void> committed) {
    }

    /** The batch statement on the database, and since when (System.nanoTime). */
    private record Running(Statement statement, long since) {
    }

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_QUEUE);
    private volatile Thread writer;
    /** The batch on the database now; taken (set to null) by the one waiter that cancels it. */
    private final AtomicReference<Running> running = new AtomicReference<>();
    private volatile boolean stopping;
    /** Whether the last batch failed: failures are logged once per burst, not once per batch. */
    private boolean failing;

    /**
     * Records one issued token and returns once the batch holding it has committed. Call it on a
     * worker thread, never on the event loop: it blocks for a few milliseconds.
     */
    void record(TokenIssuance key, Instant at) {
        Pending pending = new Pending(key, at, new CompletableFuture<>());
        if (stopping) {
            throw new AuditUnavailableException("the server is stopping");
        }
        ensureStarted();
        if (!queue.offer(pending)) {
            throw new AuditUnavailableException("the audit queue is full");
        }
        try {
            pending.committed().get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            cancelIfStuck();
            throw new AuditUnavailableException("the token issuance could not be audited");
        } catch (ExecutionException e) {
            throw new AuditUnavailableException("the token issuance could not be audited");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("interrupted while the token issuance was audited");
        }
    }

    /**
     * Cancels the batch statement if it has waited on the database longer than {@link #STATEMENT_LIMIT}:
     * once, and on a thread of its own, since the driver sends the cancel over a new connection,
     * which may wait as long as the database is unreachable; the waiter answers at once.
     */
    private void cancelIfStuck() {
        Running r = running.get();
        if (r == null || System.nanoTime() - r.since() < STATEMENT_LIMIT.toNanos() || !running.compareAndSet(r, null)) {
            return;
        }
        Thread canceller = new Thread(() -> {
            try {
                r.statement().cancel(); // a statement already done is left alone by the driver
            } catch (SQLException e) {
                LOG.debugf("audit batch not cancelled (SQL state %s)", e.getSQLState());
            }
        }, "audit-batch-cancel");
        canceller.setDaemon(true);
        canceller.start();
    }

    private void ensureStarted() {
        if (writer != null) {
            return;
        }
        synchronized (this) {
            if (writer == null) {
                Thread t = new Thread(this::run, "audit-group-commit");
                t.setDaemon(true);
                t.start();
                writer = t;
            }
        }
    }

    /** On shutdown: refuse new records, commit those queued, then let the writer end. */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        Thread t = writer;
        if (t != null) {
            try {
                t.join(MAX_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!(stopping && queue.isEmpty())) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                collect(batch);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(batch);
                return;
            } catch (RuntimeException e) {
                fail(batch); // never leave a waiter hanging, whatever went wrong
                LOG.warnf("audit group commit failed (%s)", e.getClass().getSimpleName());
            }
            batch.clear();
        }
    }

    /** Adds what is queued, and what arrives within the linger time, up to {@link #MAX_BATCH}. */
    private void collect(List<Pending> batch) throws InterruptedException {
        long deadline = System.nanoTime() + LINGER.toNanos();
        while (batch.size() < MAX_BATCH) {
            queue.drainTo(batch, MAX_BATCH - batch.size());
            long left = deadline - System.nanoTime();
            if (left <= 0 || batch.size() >= MAX_BATCH) {
                return;
            }
            Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void commit(List<Pending> batch) {
        SortedMap<TokenIssuance, TokenIssuance.Tally> tallies = new TreeMap<>();
        for (Pending p : batch) {
            tallies.merge(p.key(), TokenIssuance.Tally.one(p.at()), TokenIssuance.Tally::plus);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try {
                TokenIssuanceLog.add(c, tallies, st -> running.set(new Running(st, System.nanoTime())));
            } finally {
                running.set(null);
            }
        } catch (SQLException e) {
            if (!failing) {
                LOG.warnf("audit of issued tokens cannot be written (SQL state %s); token requests get 503 until it can",
                        e.getSQLState());
                failing = true;
            }
            fail(batch);
            return;
        }
        if (failing) {
            LOG.info("audit of issued tokens is written again");
            failing = false;
        }
        batch.forEach(p -> p.committed().complete(null));
    }

    private static void fail(List<Pending> batch) {
        AuditUnavailableException failure = new AuditUnavailableException("the audit batch did not commit");
        batch.forEach(p -> p.committed().completeExceptionally(failure));
    }
}
