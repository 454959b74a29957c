package com.meltano.auth.audit;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.common.Sql;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Deletes audit entries of both kinds older than the retention (SPEC section 12,
 * {@code MELTANO_AUTH_AUDIT_RETENTION}), in chunks of {@link #CHUNK} rows, each its own short
 * transaction, so that a large backlog never holds locks or piles up WAL in one statement. Rows
 * locked by another replica doing the same are skipped, not waited for.
 */
@ApplicationScoped
public class AuditRetention {

    static final int CHUNK = 5_000;

    /** Fixed names, never input: the table and its time column. */
    private static final String[][] TABLES = { { "audit_event", "occurred_at" }, { "audit_token_issuance", "last_at" } };

    @Inject
    Sql db;

    /** @return how many entries were deleted */
    public long deleteOlderThan(Instant cutoff) {
        long total = 0;
        for (String[] t : TABLES) {
            String sql = "delete from " + t[0] + " where id in (select id from " + t[0] + " where " + t[1] + " < ?1"
                    + " limit " + CHUNK + " for update skip locked)";
            int deleted;
            do {
                deleted = QuarkusTransaction.requiringNew()
                        .call(() -> db.query(sql).bind(1, cutoff).update());
                total += deleted;
            } while (deleted == CHUNK);
        }
        return total;
    }
}
