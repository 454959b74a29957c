package com.meltano.auth.common;

import java.time.Instant;

/**
 * An owner of a table whose rows are useless some time after they expire (SPEC section 10): it
 * deletes them itself when housekeeping asks, so that only the owner ever writes its table (STYLE.md
 * rule 9). Implementations are CDI beans; housekeeping finds them all.
 */
public interface ExpiringRows {

    /**
     * Deletes the rows that expired before {@code cutoff} (housekeeping passes now minus its grace).
     * Idempotent, so several replicas may run it at once.
     *
     * @return how many rows were deleted
     */
    int deleteExpired(Instant cutoff);
}
