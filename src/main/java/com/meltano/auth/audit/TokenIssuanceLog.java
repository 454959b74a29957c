package com.meltano.auth.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.SortedMap;

/**
 * The one writer of {@code audit_token_issuance}: adds counted tokens to their (minute, client,
 * subject, scope, grant type) row. A batch holds each key once (aggregated in memory first), and
 * its keys sorted, so that concurrent writers lock rows in one order.
 */
final class TokenIssuanceLog {

    static final String UPSERT = "insert into audit_token_issuance"
            + " (minute, client_id, subject, scope, grant_type, count, first_at, last_at) values (?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (minute, client_id, subject, scope, grant_type) do update"
            + " set count = audit_token_issuance.count + excluded.count,"
            + " first_at = least(audit_token_issuance.first_at, excluded.first_at),"
            + " last_at = greatest(audit_token_issuance.last_at, excluded.last_at)";

    private TokenIssuanceLog() {
    }

    /** Adds the tallies on {@code c}, in whatever transaction it is in (the caller commits). */
    static void add(Connection c, SortedMap<TokenIssuance, TokenIssuance.Tally> tallies, int queryTimeoutSeconds) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(UPSERT)) {
            st.setQueryTimeout(queryTimeoutSeconds);
            for (Map.Entry<TokenIssuance, TokenIssuance.Tally> e : tallies.entrySet()) {
                TokenIssuance k = e.getKey();
                TokenIssuance.Tally t = e.getValue();
                st.setObject(1, utc(k.minute()));
                st.setString(2, k.clientId());
                st.setString(3, k.subject());
                st.setString(4, k.scope());
                st.setString(5, k.grantType());
                st.setLong(6, t.count());
                st.setObject(7, utc(t.firstAt()));
                st.setObject(8, utc(t.lastAt()));
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
