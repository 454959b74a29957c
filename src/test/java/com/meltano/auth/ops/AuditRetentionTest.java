package com.meltano.auth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.Database;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * SPEC section 12: housekeeping deletes audit entries of both kinds (events and counted token
 * issuance) older than {@code MELTANO_AUTH_AUDIT_RETENTION} (default P400D), in chunks, and keeps
 * the rest.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AuditRetentionTest {

    @Inject
    DataSource ds;

    @Inject
    Housekeeping housekeeping;

    @Test
    void housekeepingWhenEntriesOlderThanRetentionThenDeletedAndRecentOnesKept() throws SQLException {
        String marker = "retention-" + UUID.randomUUID();
        Instant now = Instant.now();
        Instant old = now.minus(Duration.ofDays(401));
        Instant recent = now.minus(Duration.ofDays(399));
        // more old events than one chunk, so that the chunks are walked to the end
        insertEvents(marker + "-old", old, 12_000);
        insertEvents(marker + "-recent", recent, 3);
        insertIssuance(marker + "-old", old);
        insertIssuance(marker + "-recent", recent);
        insertIssuance(marker + "-now", now);

        housekeeping.run();

        assertThat(Database.count(ds, "select count(*) from audit_event where actor = ?", marker + "-old")).isZero();
        assertThat(Database.count(ds, "select count(*) from audit_event where actor = ?", marker + "-recent")).isEqualTo(3);
        assertThat(Database.count(ds, "select count(*) from audit_token_issuance where client_id = ?", marker + "-old")).isZero();
        assertThat(Database.count(ds, "select count(*) from audit_token_issuance where client_id = ?", marker + "-recent")).isEqualTo(1);
        assertThat(Database.count(ds, "select count(*) from audit_token_issuance where client_id = ?", marker + "-now")).isEqualTo(1);
    }

    private void insertEvents(String actor, Instant at, int n) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(
                "insert into audit_event (occurred_at, actor, action, target) select ?, ?, 'test.old', null from generate_series(1, ?)")) {
            st.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            st.setString(2, actor);
            st.setInt(3, n);
            st.executeUpdate();
        }
    }

    private void insertIssuance(String clientId, Instant at) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(
                "insert into audit_token_issuance (minute, client_id, subject, scope, grant_type, count, first_at, last_at)"
                        + " values (date_trunc('minute', ?::timestamptz), ?, ?, '', 'client_credentials', 7, ?, ?)")) {
            OffsetDateTime t = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
            st.setObject(1, t);
            st.setString(2, clientId);
            st.setString(3, clientId);
            st.setObject(4, t);
            st.setObject(5, t);
            st.executeUpdate();
        }
    }
}
