package com.meltano.auth.ops;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.meltano.auth.audit.AuditRetention;
import com.meltano.auth.config.AuthConfig;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Deletes what has expired so that tables do not grow forever (SPEC section 10): grants, codes,
 * login flows, sessions, refresh tokens, revocation entries and stale throttle counters, and audit
 * entries older than {@code MELTANO_AUTH_AUDIT_RETENTION} (SPEC section 12). Idempotent, so
 * several replicas may run it at once; each statement is bounded by an index on its time column.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    /** Expired grants stay a day, so that a token presented just after expiry still finds its grant revoked/expired. */
    static final Duration GRACE = Duration.ofDays(1);

    /** Tables whose rows are useless after {@code expires_at} (plus the grace). Fixed names, never input. */
    static final String[] EXPIRING = { "authorization_code", "login_flow", "user_session", "refresh_token", "revoked_access_token" };

    @Inject
    EntityManager em;

    @Inject
    AuditRetention auditRetention;

    @Inject
    AuthConfig config;

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        QuarkusTransaction.requiringNew().run(this::removeExpired);
        long audit = auditRetention.deleteOlderThan(Instant.now().minus(config.auth().auditRetention()));
        if (audit > 0) {
            LOG.infof("housekeeping removed %d audit entries older than the retention", audit);
        }
    }

    private void removeExpired() {
        Instant cutoff = Instant.now().minus(GRACE);
        int grants = em.createNativeQuery("delete from oauth_grant where expires_at < ?1").setParameter(1, cutoff).executeUpdate();
        int throttles = em.createNativeQuery("delete from auth_throttle where updated_at < ?1 and blocked_until < now()")
                .setParameter(1, cutoff).executeUpdate();
        int rest = 0;
        for (String table : EXPIRING) {
            rest += em.createNativeQuery("delete from " + table + " where expires_at < ?1").setParameter(1, cutoff).executeUpdate();
        }
        if (grants + throttles + rest > 0) {
            LOG.infof("housekeeping removed %d expired grants, %d stale throttle entries and %d other expired rows",
                    grants, throttles, rest);
        }
    }
}
