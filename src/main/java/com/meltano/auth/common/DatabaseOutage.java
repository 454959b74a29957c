package com.meltano.auth.common;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.LogRecord;

import org.jboss.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The process's view of a database outage (SPEC section 4: "the server recovers by itself"): which
 * failures mean "the database cannot serve us now" rather than a bug, and one log line per burst
 * of them. The first failure logs one WARN line without a stack trace; further failures are
 * silent until the heartbeat ({@link DatabaseHeartbeat}) commits again and logs one INFO line.
 * The state is process-wide (static) because the log filter that absorbs the framework's own
 * per-request lines is not a CDI bean.
 */
public final class DatabaseOutage {

    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);
    private static final AtomicBoolean DOWN = new AtomicBoolean();
    private static final int MAX_CAUSES = 32;

    /** Loggers that report every failed statement or connection attempt once more, per request. */
    private static final String AGROAL = "io.agroal";
    private static final String HEALTH = "io.smallrye.health";

    private DatabaseOutage() {
    }

    /**
     * True when {@code failure} (or a cause) says the database is unreachable or cannot take
     * writes: no connection (SQLState class 08, refused or reset sockets, the pool's acquisition
     * timeout), a shutting-down or starting server (57P01 to 57P03), insufficient resources (class
     * 53: a full disk, no memory, too many connections), an I/O error (class 58), a read-only
     * server (25006, a standby or {@code default_transaction_read_only}).
     */
    public static boolean isUnavailable(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_CAUSES; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof ConnectException || t instanceof SocketException) {
                return true;
            }
            if (t instanceof SQLException sql && (unavailableState(sql.getSQLState())
                    || (sql.getMessage() != null && (sql.getMessage().startsWith("Acquisition timeout")
                            || sql.getMessage().startsWith("Can't create new connection as the pool is shutting down"))))) {
                return true;
            }
        }
        return false;
    }

    static boolean unavailableState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("58")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03") || state.equals("25006"));
    }

    /** A request or job met the database unavailable: one WARN line for the first of a burst. */
    public static void failed(Throwable failure) {
        if (DOWN.compareAndSet(false, true)) {
            LOG.warnf("database unavailable (%s); requests get 503 until it is back", summary(failure));
        }
    }

    /** The database took a write again: one INFO line if it was down. */
    public static void reachable() {
        if (DOWN.compareAndSet(true, false)) {
            LOG.info("database reachable again");
        }
    }

    public static boolean down() {
        return DOWN.get();
    }

    /**
     * For the log filter: a record about an unavailable database (a job's failure with its stack
     * trace, Agroal's per-attempt lines) is replaced by the burst's one line.
     */
    public static boolean absorbs(LogRecord record) {
        if (record.getThrown() != null && isUnavailable(record.getThrown())) {
            failed(record.getThrown());
            return true;
        }
        String logger = record.getLoggerName();
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (logger == null || message == null) {
            return false;
        }
        // SmallRye Health reports every red check at INFO: once per probe, not once per outage
        if (logger.startsWith(HEALTH) && DOWN.get()) {
            return true;
        }
        // the pool's line for a broken connection it discards; a leak report is something else
        if (logger.startsWith(AGROAL) && !message.contains("leak")) {
            failed(new SQLRecoverableException(message));
            return true;
        }
        return false;
    }

    /** The innermost SQLState and message, first line only, no stack trace. */
    public static String summary(Throwable failure) {
        String state = null;
        Throwable root = failure;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_CAUSES; t = t.getCause() == t ? null : t.getCause(), depth++) {
            root = t;
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                state = sql.getSQLState();
            }
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        return (state == null ? "" : "SQLState " + state + ": ") + message;
    }
}
