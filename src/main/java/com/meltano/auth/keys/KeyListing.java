package com.meltano.auth.keys;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.Sql;

/**
 * The stored signing keys as an admin sees them (SPEC section 11: {@code kid}, {@code alg}, state
 * and dates), public facts only. A {@code staged} key signs from {@code activates_at} on every
 * replica by its own clock, before maintenance marks it {@code active} (see {@link KeyRotation}).
 */
@ApplicationScoped
public class KeyListing {

    public record KeyInfo(String kid, String alg, String state, Instant createdAt, Instant activatesAt,
            Instant activatedAt, Instant retiredAt) {
    }

    @Inject
    Sql db;

    /** The signing key first, then pending ones, then retired ones; newest first within each. */
    @Transactional
    public List<KeyInfo> all() {
        List<Object[]> rows = db.query("select kid, alg, status, created_at, activates_at, activated_at, retired_at"
                + " from signing_key order by case status when 'active' then 0 when 'staged' then 1 else 2 end,"
                + " created_at desc, kid").list();
        return rows.stream().map(r -> new KeyInfo((String) r[0], (String) r[1], (String) r[2], (Instant) r[3],
                (Instant) r[4], (Instant) r[5], (Instant) r[6])).toList();
    }
}
