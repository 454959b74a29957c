package com.meltano.auth.ops;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.meltano.auth.audit.AuditRetention;
import com.meltano.auth.common.BackgroundJob;
import com.meltano.auth.common.ExpiringRows;
import com.meltano.auth.config.AuthConfig;

import io.quarkus.scheduler.Scheduled;

/**
 * Deletes what has expired so that tables do not grow forever (SPEC section 10): each owner of a
 * table with expiring rows (grants and revocation entries, codes, login flows, sessions, refresh
 * tokens, throttle counters) deletes its own when asked ({@link ExpiringRows}), and audit entries
 * older than {@code MELTANO_AUTH_AUDIT_RETENTION} go (SPEC section 12). Idempotent, so several
 * replicas may run it at once; each statement is bounded by an index on its time column.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    /**
     * Expired rows stay a day: a token presented just after expiry still finds its grant expired,
     * and a login flow's late form still finds its application.
     */
    static final Duration GRACE = Duration.ofDays(1);

    @Inject
    Instance<ExpiringRows> owners;

    @Inject
    AuditRetention auditRetention;

    @Inject
    AuthConfig config;

    @BackgroundJob
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        Instant cutoff = Instant.now().minus(GRACE);
        int expired = 0;
        for (ExpiringRows owner : owners) {
            expired += owner.deleteExpired(cutoff);
        }
        if (expired > 0) {
            LOG.infof("housekeeping removed %d expired rows", expired);
        }
        long audit = auditRetention.deleteOlderThan(Instant.now().minus(config.auth().auditRetention()));
        if (audit > 0) {
            LOG.infof("housekeeping removed %d audit entries older than the retention", audit);
        }
    }
}
