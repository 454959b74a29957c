package com.meltano.auth.ops;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.meltano.auth.common.BackgroundJob;
import com.meltano.auth.common.DatabaseOutage;
import com.meltano.auth.common.ServingStarted;

import io.quarkus.scheduler.Scheduled;

/**
 * Whether the database can take writes now, for readiness (SPEC section 10), measured every few
 * seconds by a job so that the health endpoint stays cheap (it reads the last result).
 *
 * <p>"Answers a query" is not "takes writes": a standby or a read-only server answers, and a full
 * disk lets reads and even small commits through (WAL segments are preallocated; an update fits
 * in a page already on disk) while every insert that needs a new page fails. So the probe does
 * what a write needs without owning a table: it refuses a server in recovery or read-only, writes
 * a temporary file (a sort larger than its {@code work_mem}, on the data directory's disk unless
 * temp tablespaces say otherwise), which a full disk refuses at once (SQLState 53100), and
 * commits a transaction holding a transaction id.
 */
@ApplicationScoped
public class DatabaseHeartbeat {

    /** A result older than this (the job hangs or stopped) counts as a failure. */
    static final Duration STALE_AFTER = Duration.ofSeconds(20);

    /**
     * About 30 KB of rows sorted in 64 kB of memory: the smallest allowed {@code work_mem} with a
     * sort that spills, so a few hundred kilobytes are written to a temporary file.
     */
    private static final String SPILLING_SORT = "select count(*) from (select g, md5(g::text) from generate_series(1, 3000) g "
            + "order by 2) s";

    @Inject
    DataSource dataSource;

    private volatile Result last;

    /** The outcome of one probe: ok, or why not. */
    public record Result(boolean writable, String reason, Instant at) {
    }

    @BackgroundJob
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        probe();
    }

    /**
     * The first probe starts with the server, beside the HTTP server's own start, so that the first
     * readiness request finds a result (the job's first run may come a second later).
     */
    void onStart(@Observes ServingStarted event) {
        Thread first = new Thread(this::current, "database-heartbeat-first");
        first.setDaemon(true);
        first.start();
    }

    /** The last probe's result; probes now if none is recent (once, when callers arrive together). */
    public Result current() {
        Result r = last;
        return stale(r) ? probeIfStale() : r;
    }

    private synchronized Result probeIfStale() {
        Result r = last;
        return stale(r) ? probe() : r;
    }

    private static boolean stale(Result r) {
        return r == null || r.at().isBefore(Instant.now().minus(STALE_AFTER));
    }

    synchronized Result probe() {
        Result r;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(5);
                try (ResultSet rs = st.executeQuery("select pg_is_in_recovery(), current_setting('transaction_read_only')")) {
                    rs.next();
                    if (rs.getBoolean(1) || "on".equals(rs.getString(2))) {
                        c.rollback();
                        r = new Result(false, "the database is read-only", Instant.now());
                        DatabaseOutage.failed(new SQLException("the database is read-only", "25006"));
                        last = r;
                        return r;
                    }
                }
                st.execute("set local work_mem = '64kB'");
                st.execute("set local temp_file_limit = '4MB'");
                st.executeQuery(SPILLING_SORT).close();
                st.executeQuery("select txid_current()").close();
            }
            c.commit();
            r = new Result(true, null, Instant.now());
            DatabaseOutage.reachable();
        } catch (SQLException | RuntimeException e) {
            r = new Result(false, DatabaseOutage.summary(e), Instant.now());
            DatabaseOutage.failed(e);
        }
        last = r;
        return r;
    }
}
