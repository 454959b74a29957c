package com.meltano.auth.admin;

import static com.meltano.auth.admin.AdminFixtures.GOOD_PASSWORD;
import static com.meltano.auth.admin.AdminFixtures.as;
import static com.meltano.auth.admin.AdminFixtures.assertAdminError;
import static com.meltano.auth.admin.AdminFixtures.createServiceClient;
import static com.meltano.auth.admin.AdminFixtures.createUser;
import static com.meltano.auth.admin.AdminFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;
import com.meltano.auth.support.TestData;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** {@code GET /admin/api/audit}: newest first, paged by cursor, never an email or a secret. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AdminAuditTest {

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    String admin;

    @BeforeEach
    void adminToken() {
        admin = Api.adminToken();
    }

    @Test
    void auditWhenUserCreatedThenListsUserCreatedWithUserIdAsTargetAndClientAsActor() {
        String id = createUser(admin, uniqueEmail("audited"), null, null);

        Map<String, Object> entry = findEntry(e -> "user.created".equals(e.get("action")) && id.equals(e.get("target")));

        assertThat(entry.get("actor")).isEqualTo(TestData.ADMIN_CLIENT_ID);
        assertThat(Instant.parse((String) entry.get("occurred_at"))).isNotNull();
    }

    @Test
    void auditWhenTwoUsersCreatedThenLaterOneIsListedFirst() {
        String first = createUser(admin, uniqueEmail("older"), null, null);
        String second = createUser(admin, uniqueEmail("newer"), null, null);

        List<Map<String, Object>> entries = entriesUntil(e -> "user.created".equals(e.get("action")) && first.equals(e.get("target")));

        int olderAt = indexOf(entries, "user.created", first);
        int newerAt = indexOf(entries, "user.created", second);
        assertThat(newerAt).isNotNegative().isLessThan(olderAt);
    }

    @Test
    void auditWhenListedThenNewestFirstByTimeWithoutDuplicates() {
        createUser(admin, uniqueEmail("order"), null, null);

        Response r = as(admin).queryParam("limit", 50).get("/admin/api/audit");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        List<Long> ids = r.jsonPath().getList("items.id", Long.class);
        List<Instant> times = r.jsonPath().getList("items.occurred_at", String.class).stream().map(Instant::parse).toList();
        assertThat(ids).hasSizeGreaterThan(1).doesNotHaveDuplicates();
        assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
    }

    @Test
    void auditWhenTokenIssuedJustBeforeAnAdminChangeThenStillListedNewestFirstByTime() {
        JsonPath client = createServiceClient(admin, List.of(), false);
        String clientId = client.getString("client_id");
        Api.token(clientId, client.getString("client_secret"), null); // token.issued happens first ...
        String userId = createUser(admin, uniqueEmail("after-token"), null, null); // ... user.created after it

        Predicate<Map<String, Object>> tokenIssued = e -> "token.issued".equals(e.get("action")) && clientId.equals(e.get("actor"));
        Predicate<Map<String, Object>> userCreated = e -> "user.created".equals(e.get("action")) && userId.equals(e.get("target"));
        List<Map<String, Object>> entries = new ArrayList<>();
        pagesUntilAll(List.of(tokenIssued, userCreated)).forEach(p -> entries.addAll(JsonPath.from(p).getList("items")));

        int tokenAt = indexWhere(entries, tokenIssued);
        int userAt = indexWhere(entries, userCreated);
        List<Map<String, Object>> span = entries.subList(0, Math.max(tokenAt, userAt) + 1);
        assertThat(userAt).as("user.created (newer) must be listed before token.issued (older): %s", span).isLessThan(tokenAt);
        List<Instant> times = span.stream().map(e -> Instant.parse((String) e.get("occurred_at"))).toList();
        assertThat(times).as("occurred_at, newest first").isSortedAccordingTo((a, b) -> b.compareTo(a));
    }

    @Test
    void auditWhenUserCreatedWithPasswordThenNeitherEmailNorPasswordAppears() {
        String email = uniqueEmail("private");
        String password = "audit-secret-password-" + System.nanoTime();
        String id = createUser(admin, email, password, null);

        List<String> pages = pagesUntil(e -> "user.created".equals(e.get("action")) && id.equals(e.get("target")));

        for (String page : pages) {
            assertThat(page).doesNotContain(email).doesNotContain(email.toLowerCase()).doesNotContain(password);
            assertThat(EMAIL.matcher(page).find()).as("an email address in the audit log: %s", page).isFalse();
        }
    }

    @Test
    void auditWhenUserPasswordChangedThenNewPasswordDoesNotAppear() {
        String email = uniqueEmail("pw-change");
        String id = createUser(admin, email, GOOD_PASSWORD, null);
        String newPassword = "changed-password-" + System.nanoTime();
        as(admin).body(Map.of("password", newPassword)).patch("/admin/api/users/" + id).then().statusCode(200);

        List<String> pages = pagesUntil(e -> "user.updated".equals(e.get("action")) && id.equals(e.get("target")));

        for (String page : pages) {
            assertThat(page).doesNotContain(newPassword).doesNotContain(GOOD_PASSWORD).doesNotContain(email);
        }
    }

    @Test
    void auditWhenUserDeletedThenKeepsOnlyThePseudonymousId() {
        String email = uniqueEmail("forgotten");
        String id = createUser(admin, email, GOOD_PASSWORD, null);
        as(admin).delete("/admin/api/users/" + id).then().statusCode(204);

        List<String> pages = pagesUntil(e -> "user.created".equals(e.get("action")) && id.equals(e.get("target")));

        assertThat(String.join("\n", pages)).contains("user.deleted").contains(id);
        for (String page : pages) {
            assertThat(page).doesNotContain(email);
        }
    }

    @Test
    void auditWhenClientSecretRotatedThenNeitherSecretAppears() {
        JsonPath client = createServiceClient(admin, List.of(), false);
        String clientId = client.getString("client_id");
        String oldSecret = client.getString("client_secret");
        String newSecret = as(admin).post("/admin/api/clients/" + clientId + "/secret").then().statusCode(201)
                .extract().path("client_secret");

        List<String> pages = pagesUntil(e -> "client.created".equals(e.get("action")) && clientId.equals(e.get("target")));

        assertThat(String.join("\n", pages)).contains("client.secret_rotated");
        for (String page : pages) {
            assertThat(page).doesNotContain(oldSecret).doesNotContain(newSecret);
        }
    }

    @Test
    void auditWhenPagedWithCursorThenPagesAreContiguousAndDisjoint() {
        for (int i = 0; i < 3; i++) {
            createUser(admin, uniqueEmail("audit-page" + i), null, null);
        }

        JsonPath page1 = page(2, null);
        String cursor1 = page1.getString("next_cursor");
        assertThat(cursor1).isNotNull();
        JsonPath page2 = page(2, cursor1);
        String cursor2 = page2.getString("next_cursor");
        assertThat(cursor2).isNotNull();
        JsonPath page3 = page(2, cursor2);

        List<Long> walked = new ArrayList<>();
        walked.addAll(page1.getList("items.id", Long.class));
        walked.addAll(page2.getList("items.id", Long.class));
        walked.addAll(page3.getList("items.id", Long.class));
        assertThat(walked).hasSize(6).doesNotHaveDuplicates();
        // the same stretch of history in one request: the cursor skips nothing
        JsonPath joined = page(4, cursor1);
        assertThat(joined.getList("items.id", Long.class)).isEqualTo(walked.subList(2, 6));
    }

    @Test
    void auditWhenCursorMalformedThenBadRequestNamingCursor() {
        assertAdminError(as(admin).queryParam("cursor", "yesterday").get("/admin/api/audit"), 400, "cursor");
    }

    @Test
    void auditWhenLimitTooLargeThenBadRequestNamingLimit() {
        assertAdminError(as(admin).queryParam("limit", 100_000).get("/admin/api/audit"), 400, "limit");
    }

    // ---- helpers

    private JsonPath page(int limit, String cursor) {
        RequestSpecification req = as(admin).queryParam("limit", limit);
        if (cursor != null) {
            req = req.queryParam("cursor", cursor);
        }
        Response r = req.get("/admin/api/audit");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath();
    }

    /** Raw pages, newest first, up to and including the one holding an entry that matches. */
    private List<String> pagesUntil(Predicate<Map<String, Object>> match) {
        return pagesUntilAll(List.of(match));
    }

    /** Raw pages, newest first, until every predicate has matched some entry. */
    private List<String> pagesUntilAll(List<Predicate<Map<String, Object>>> matches) {
        List<String> pages = new ArrayList<>();
        List<Predicate<Map<String, Object>>> open = new ArrayList<>(matches);
        String cursor = null;
        for (int n = 0; n < 50; n++) {
            RequestSpecification req = as(admin).queryParam("limit", 100);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            Response r = req.get("/admin/api/audit");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            pages.add(r.asString());
            List<Map<String, Object>> items = r.jsonPath().getList("items");
            open.removeIf(m -> items.stream().anyMatch(m));
            if (open.isEmpty()) {
                return pages;
            }
            cursor = r.jsonPath().getString("next_cursor");
            if (cursor == null) {
                break;
            }
        }
        throw new AssertionError("no matching audit entry");
    }

    /** Entries, newest first, up to and including the first one that matches. */
    private List<Map<String, Object>> entriesUntil(Predicate<Map<String, Object>> match) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String page : pagesUntil(match)) {
            entries.addAll(JsonPath.from(page).getList("items"));
        }
        int last = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (match.test(entries.get(i))) {
                last = i;
                break;
            }
        }
        return entries.subList(0, last + 1);
    }

    private Map<String, Object> findEntry(Predicate<Map<String, Object>> match) {
        List<Map<String, Object>> entries = entriesUntil(match);
        return entries.get(entries.size() - 1);
    }

    private static int indexWhere(List<Map<String, Object>> entries, Predicate<Map<String, Object>> match) {
        for (int i = 0; i < entries.size(); i++) {
            if (match.test(entries.get(i))) {
                return i;
            }
        }
        return -1;
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
