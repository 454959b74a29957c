package com.meltano.auth.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Issue 9: token issuance is audited by group commit, counted per (minute, client, subject, scope,
 * grant type): a token is answered only once its count has committed, a token whose count cannot
 * be written is not handed out, and {@code GET /admin/api/audit} shows how many tokens an entry
 * stands for.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TokenIssuanceAuditTest {

    @Inject
    DataSource ds;

    @Test
    void clientCredentialsWhenAnsweredThenItsIssuanceIsAlreadyCommitted() {
        Map<String, String> client = Api.createServiceClient(List.of(), false);
        String clientId = client.get("client_id");

        for (int i = 1; i <= 5; i++) {
            Api.token(clientId, client.get("client_secret"), null);
            // read at once on another connection: no flush, no wait
            assertThat(counted(clientId)).as("tokens counted after the response of token %d", i).isEqualTo(i);
        }
        assertThat(Database.count(ds, "select count(*) from audit_event where action = 'token.issued' and actor = ?", clientId))
                .as("no row per token any more").isZero();
    }

    @Test
    void clientCredentialsWhenIssuedInParallelThenCountedInFewRowsWithoutLoss() throws Exception {
        Map<String, String> client = Api.createServiceClient(List.of(), false);
        String clientId = client.get("client_id");
        int threads = 8;
        int perThread = 10;

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        Api.token(clientId, client.get("client_secret"), null);
                        ok++;
                    }
                    return ok;
                }));
            }
            int acknowledged = 0;
            for (Future<Integer> f : results) {
                acknowledged += f.get();
            }
            assertThat(acknowledged).isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
        }

        assertThat(counted(clientId)).isEqualTo(threads * perThread);
        assertThat(Database.count(ds, "select count(*) from audit_token_issuance where client_id = ?", clientId))
                .as("one row per minute (two if the run crossed a minute)").isBetween(1L, 2L);
    }

    @Test
    void auditWhenNTokensIssuedThenAnEntrySaysHowManyTokensItStandsFor() {
        Map<String, String> client = Api.createServiceClient(List.of(), false);
        String clientId = client.get("client_id");
        Instant before = Instant.now();
        for (int i = 0; i < 4; i++) {
            Api.token(clientId, client.get("client_secret"), null);
        }

        List<Map<String, Object>> entries = tokenEntries(clientId);

        assertThat(entries).hasSizeBetween(1, 2); // a minute may have turned during the four requests
        long total = 0;
        for (Map<String, Object> e : entries) {
            assertThat(e.get("actor")).isEqualTo(clientId);
            assertThat(e.get("target")).isEqualTo(clientId);
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) e.get("details");
            assertThat(details).containsEntry("grant_type", "client_credentials").containsEntry("client_id", clientId)
                    .containsKeys("scope", "count", "first_at", "last_at");
            Instant first = Instant.parse((String) details.get("first_at"));
            Instant last = Instant.parse((String) details.get("last_at"));
            assertThat(first).isAfterOrEqualTo(before.minusSeconds(1)).isBeforeOrEqualTo(last);
            assertThat(Instant.parse((String) e.get("occurred_at"))).isEqualTo(last);
            total += ((Number) details.get("count")).longValue();
        }
        assertThat(total).isEqualTo(4);
    }

    @Test
    void auditWhenTokensAndEventsInterleaveThenPagesWalkBothKindsNewestFirstWithoutDuplicates() {
        Map<String, String> a = Api.createServiceClient(List.of(), false); // client.created
        Api.token(a.get("client_id"), a.get("client_secret"), null);
        Map<String, String> b = Api.createServiceClient(List.of(), false);
        Api.token(b.get("client_id"), b.get("client_secret"), null);
        Api.createServiceClient(List.of(), false);
        String admin = Api.adminToken();

        List<Map<String, Object>> walked = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 6; page++) {
            var req = given().header("Authorization", "Bearer " + admin).queryParam("limit", 2);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            Response r = req.get("/admin/api/audit");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            walked.addAll(r.jsonPath().getList("items"));
            cursor = r.jsonPath().getString("next_cursor");
            if (cursor == null) {
                break; // the end of the log (a fresh database holds fewer than 12 entries)
            }
        }

        List<Long> ids = walked.stream().map(e -> ((Number) e.get("id")).longValue()).toList();
        List<Instant> times = walked.stream().map(e -> Instant.parse((String) e.get("occurred_at"))).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(times).isSortedAccordingTo((x, y) -> y.compareTo(x));
        int tokenB = indexOf(walked, "token.issued", b.get("client_id"));
        int createdB = indexOf(walked, "client.created", b.get("client_id"));
        int tokenA = indexOf(walked, "token.issued", a.get("client_id"));
        int createdA = indexOf(walked, "client.created", a.get("client_id"));
        assertThat(List.of(tokenB, createdB, tokenA, createdA)).as("walked: %s", walked).doesNotContain(-1).isSorted();
    }

    @Test
    void tokenWhenItsAuditCannotBeWrittenThen503TemporarilyUnavailableAndNoToken() throws Exception {
        Map<String, String> client = Api.createServiceClient(List.of(), false);
        String clientId = client.get("client_id");
        execute("alter table audit_token_issuance rename to audit_token_issuance_away");
        Response refused;
        try {
            refused = given().auth().preemptive().basic(clientId, client.get("client_secret"))
                    .formParam("grant_type", "client_credentials").post("/oauth2/token");
        } finally {
            execute("alter table audit_token_issuance_away rename to audit_token_issuance");
        }

        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/json");
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(refused.header("Cache-Control")).isEqualTo("no-store");
        JsonPath body = refused.jsonPath();
        assertThat(body.getString("error")).isEqualTo("temporarily_unavailable");
        assertThat(body.getString("access_token")).isNull();
        // and once the database takes writes again, tokens are issued and counted
        Api.token(clientId, client.get("client_secret"), null);
        assertThat(counted(clientId)).isEqualTo(1);
    }

    @Test
    void tokenWhenItsAuditWaitsOnALockThen503AndTheWaitingWriteIsCancelledNotCountedLater() throws Exception {
        Map<String, String> client = Api.createServiceClient(List.of(), false);
        String clientId = client.get("client_id");
        Response refused;
        boolean writerStillWaiting;
        try (Connection holder = ds.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("lock table audit_token_issuance in exclusive mode");
            }
            refused = given().auth().preemptive().basic(clientId, client.get("client_secret"))
                    .formParam("grant_type", "client_credentials").post("/oauth2/token");
            writerStillWaiting = insertWaitingOnALock(Instant.now().plusSeconds(5));
            holder.rollback();
        }

        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(503);
        assertThat(refused.jsonPath().getString("error")).isEqualTo("temporarily_unavailable");
        assertThat(writerStillWaiting).as("the audit write that waited on the lock was cancelled").isFalse();
        // the refused token is not counted once the lock is gone; the next one is
        Api.token(clientId, client.get("client_secret"), null);
        assertThat(counted(clientId)).isEqualTo(1);
    }

    // ---- helpers

    private long counted(String clientId) {
        return Database.count(ds, "select coalesce(sum(count), 0) from audit_token_issuance where client_id = ?", clientId);
    }

    /** Whether an insert into audit_token_issuance still waits on a lock at {@code until} (polled). */
    private boolean insertWaitingOnALock(Instant until) throws InterruptedException {
        String sql = "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                + " and query like 'insert into audit_token_issuance%'";
        while (Database.count(ds, sql) > 0) {
            if (Instant.now().isAfter(until)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The token.issued entries of a client, walking the audit API newest first. */
    private List<Map<String, Object>> tokenEntries(String clientId) {
        String admin = Api.adminToken();
        List<Map<String, Object>> found = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        String cursor = null;
        for (int page = 0; page < 20; page++) {
            var req = given().header("Authorization", "Bearer " + admin).queryParam("limit", 100);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            Response r = req.get("/admin/api/audit");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            List<Map<String, Object>> items = r.jsonPath().getList("items");
            for (Map<String, Object> e : items) {
                assertThat(seen.add(e.get("id"))).as("duplicate entry %s", e).isTrue();
                if ("token.issued".equals(e.get("action")) && clientId.equals(e.get("actor"))) {
                    found.add(e);
                }
            }
            cursor = r.jsonPath().getString("next_cursor");
            if (cursor == null) {
                break;
            }
        }
        return found;
    }

    private static int indexOf(List<Map<String, Object>> entries, String action, String target) {
        for (int i = 0; i < entries.size(); i++) {
            if (action.equals(entries.get(i).get("action")) && target.equals(entries.get(i).get("target"))) {
                return i;
            }
        }
        return -1;
    }
}
