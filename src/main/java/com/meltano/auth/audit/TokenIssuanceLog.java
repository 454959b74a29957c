package com.meltano.auth.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * The one writer of {@code audit_token_issuance}: adds counted tokens to their (minute, client,
 * subject, scope, grant type) row. A batch holds each key once (aggregated in memory first), and
 * its keys sorted, so that concurrent writers lock rows in one order.
 *
 * <p>The whole batch is one statement: its rows go as arrays, unnested in the batch's order. Outside
 * a transaction it is then a transaction of its own, one round trip to the database, where a batch
 * of statements needs a second one for its commit.
 */
final class TokenIssuanceLog {

    static final String UPSERT = "insert into audit_token_issuance"
            + " (minute, client_id, subject, scope, grant_type, count, first_at, last_at)"
            + " select t.minute::timestamptz, t.client_id, t.subject, t.scope, t.grant_type, t.count,"
            + " t.first_at::timestamptz, t.last_at::timestamptz"
            + " from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])"
            + " with ordinality as t(minute, client_id, subject, scope, grant_type, count, first_at, last_at, n)"
            + " order by t.n"
            + " on conflict (minute, client_id, subject, scope, grant_type) do update"
            + " set count = audit_token_issuance.count + excluded.count,"
            + " first_at = least(audit_token_issuance.first_at, excluded.first_at),"
            + " last_at = greatest(audit_token_issuance.last_at, excluded.last_at)";

    private TokenIssuanceLog() {
    }

    /**
     * Adds the tallies on {@code c}: in the caller's transaction if it has one, else as a transaction
     * of its own. {@code started} gets the statement just before it runs (so that it can be cancelled).
     */
    static void add(Connection c, SortedMap<TokenIssuance, TokenIssuance.Tally> tallies, Consumer<Statement> started)
            throws SQLException {
        int n = tallies.size();
        String[] minutes = new String[n];
        String[] clients = new String[n];
        String[] subjects = new String[n];
        String[] scopes = new String[n];
        String[] grantTypes = new String[n];
        Long[] counts = new Long[n];
        String[] firstAts = new String[n];
        String[] lastAts = new String[n];
        int i = 0;
        for (Map.Entry<TokenIssuance, TokenIssuance.Tally> e : tallies.entrySet()) {
            TokenIssuance k = e.getKey();
            TokenIssuance.Tally t = e.getValue();
            // ISO-8601 instants with their Z: read as the same instant whatever the session's time zone
            minutes[i] = k.minute().toString();
            clients[i] = k.clientId();
            subjects[i] = k.subject();
            scopes[i] = k.scope();
            grantTypes[i] = k.grantType();
            counts[i] = t.count();
            firstAts[i] = t.firstAt().toString();
            lastAts[i] = t.lastAt().toString();
            i++;
        }
        try (PreparedStatement st = c.prepareStatement(UPSERT)) {
            st.setArray(1, c.createArrayOf("text", minutes));
            st.setArray(2, c.createArrayOf("text", clients));
            st.setArray(3, c.createArrayOf("text", subjects));
            st.setArray(4, c.createArrayOf("text", scopes));
            st.setArray(5, c.createArrayOf("text", grantTypes));
            st.setArray(6, c.createArrayOf("bigint", counts));
            st.setArray(7, c.createArrayOf("text", firstAts));
            st.setArray(8, c.createArrayOf("text", lastAts));
            started.accept(st);
            st.executeUpdate();
        }
    }
}
