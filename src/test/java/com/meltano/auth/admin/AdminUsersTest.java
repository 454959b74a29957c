package com.meltano.auth.admin;

import static com.meltano.auth.admin.AdminFixtures.GOOD_PASSWORD;
import static com.meltano.auth.admin.AdminFixtures.allKeys;
import static com.meltano.auth.admin.AdminFixtures.as;
import static com.meltano.auth.admin.AdminFixtures.assertAdminError;
import static com.meltano.auth.admin.AdminFixtures.createRole;
import static com.meltano.auth.admin.AdminFixtures.createUser;
import static com.meltano.auth.admin.AdminFixtures.uniqueEmail;
import static com.meltano.auth.admin.AdminFixtures.uniqueRole;
import static com.meltano.auth.admin.AdminFixtures.withOnlyEnabledAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** {@code /admin/api/users} as SPEC section 9 describes it. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AdminUsersTest {

    @Inject
    DataSource dataSource;

    String admin;

    @BeforeEach
    void adminToken() {
        admin = Api.adminToken();
    }

    // ---- POST /admin/api/users

    @Test
    void createUserWhenOnlyEmailThenCreatedEnabledUnverifiedWithRegularRole() {
        String email = uniqueEmail("create");

        Response r = as(admin).body(Map.of("email", email)).post("/admin/api/users");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        JsonPath user = r.jsonPath();
        assertThat(UUID.fromString(user.getString("id"))).isNotNull();
        assertThat(user.getString("email")).isEqualTo(email);
        assertThat(user.getBoolean("email_verified")).isFalse();
        assertThat(user.getBoolean("enabled")).isTrue();
        assertThat(user.getList("roles", String.class)).containsExactly("regular");
        assertThat(Instant.parse(user.getString("created_at"))).isNotNull();
    }

    @Test
    void createUserWhenPasswordGivenThenResponseHasNoPasswordOrHash() {
        String email = uniqueEmail("secretless");

        Response r = as(admin).body(Map.of("email", email, "password", GOOD_PASSWORD)).post("/admin/api/users");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(allKeys(r.asString())).doesNotContain("password", "password_hash");
        assertThat(r.asString()).doesNotContain(GOOD_PASSWORD).doesNotContain(storedPasswordHash(r.path("id")));
    }

    @Test
    void createUserWhenRolesGivenThenUserHoldsExactlyThoseRoles() {
        String role = createRole(admin, uniqueRole("analyst"));

        Response r = as(admin).body(Map.of("email", uniqueEmail("with-roles"), "roles", List.of(role))).post("/admin/api/users");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getList("roles", String.class)).containsExactly(role);
    }

    @Test
    void createUserWhenEmailHasSurroundingSpacesThenStoredTrimmed() {
        String email = uniqueEmail("trimmed");

        Response r = as(admin).body(Map.of("email", "  " + email + " ")).post("/admin/api/users");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getString("email")).isEqualTo(email);
    }

    @Test
    void createUserWhenEmailExistsThenConflict() {
        String email = uniqueEmail("dup");
        createUser(admin, email, null, null);

        Response r = as(admin).body(Map.of("email", email)).post("/admin/api/users");

        assertAdminError(r, 409, null);
        assertThat(usersWithEmail(email)).hasSize(1);
    }

    @Test
    void createUserWhenEmailExistsInOtherCaseThenConflict() {
        String email = uniqueEmail("CaseDup");
        createUser(admin, email, null, null);

        assertAdminError(as(admin).body(Map.of("email", email.toUpperCase(Locale.ROOT))).post("/admin/api/users"), 409, null);
        assertAdminError(as(admin).body(Map.of("email", email.toLowerCase(Locale.ROOT))).post("/admin/api/users"), 409, null);
        assertThat(usersWithEmail(email)).hasSize(1);
    }

    @Test
    void createUserWhenEmailExistsWithSurroundingSpacesThenConflict() {
        String email = uniqueEmail("space-dup");
        createUser(admin, email, null, null);

        Response r = as(admin).body(Map.of("email", " " + email + "  ")).post("/admin/api/users");

        assertAdminError(r, 409, null);
        assertThat(usersWithEmail(email)).hasSize(1);
    }

    @Test
    void createUserWhenEmailIsNotAnEmailThenBadRequestNamingEmail() {
        assertAdminError(as(admin).body(Map.of("email", "not-an-email")).post("/admin/api/users"), 400, "email");
    }

    @Test
    void createUserWhenEmailMissingThenBadRequestNamingEmail() {
        assertAdminError(as(admin).body(Map.of("password", GOOD_PASSWORD)).post("/admin/api/users"), 400, "email");
    }

    @Test
    void createUserWhenPasswordHasSevenCharactersThenBadRequestNamingPasswordAndNoUser() {
        String email = uniqueEmail("short-pw");

        Response r = as(admin).body(Map.of("email", email, "password", "1234567")).post("/admin/api/users");

        assertAdminError(r, 400, "password");
        assertThat(r.asString()).doesNotContain("1234567");
        assertThat(usersWithEmail(email)).isEmpty();
    }

    @Test
    void createUserWhenPasswordHasEightCharactersThenCreated() {
        Response r = as(admin).body(Map.of("email", uniqueEmail("eight-pw"), "password", "12345678")).post("/admin/api/users");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    }

    @Test
    void createUserWhenPasswordEqualsEmailThenBadRequestNamingPassword() {
        String email = uniqueEmail("pw-is-email");

        assertAdminError(as(admin).body(Map.of("email", email, "password", email)).post("/admin/api/users"), 400, "password");
        assertAdminError(as(admin).body(Map.of("email", email, "password", email.toUpperCase(Locale.ROOT)))
                .post("/admin/api/users"), 400, "password");
        assertThat(usersWithEmail(email)).isEmpty();
    }

    @Test
    void createUserWhenRoleUnknownThenBadRequestNamingRoleIndexAndNothingWritten() {
        String email = uniqueEmail("unknown-role");

        Response r = as(admin).body(Map.of("email", email, "roles", List.of("regular", uniqueRole("missing"))))
                .post("/admin/api/users");

        assertAdminError(r, 400, "roles[1]");
        assertThat(usersWithEmail(email)).isEmpty();
    }

    @Test
    void createUserWhenFirstRoleUnknownThenBadRequestNamingRolesZero() {
        Response r = as(admin).body(Map.of("email", uniqueEmail("unknown-role0"), "roles", List.of(uniqueRole("missing"))))
                .post("/admin/api/users");

        assertAdminError(r, 400, "roles[0]");
    }

    @Test
    void createUserWhenBodyIsNotJsonThenBadRequest() {
        assertAdminError(as(admin).body("{\"email\": ").post("/admin/api/users"), 400, null);
    }

    @Test
    void createAndUpdateUserWhenAValueHasAnotherJsonTypeThenBadRequestNamingItInsteadOfConverting() {
        assertAdminError(as(admin).body(Map.of("email", uniqueEmail("typed-role"), "roles", List.of(true))).post("/admin/api/users"),
                400, "roles[0]");
        assertAdminError(as(admin).body(Map.of("email", 12345)).post("/admin/api/users"), 400, "email");
        String id = createUser(admin, uniqueEmail("typed"), null, null);

        assertAdminError(as(admin).body(Map.of("email_verified", "false")).patch("/admin/api/users/" + id), 400, "email_verified");
        assertAdminError(as(admin).body(Map.of("enabled", 0)).patch("/admin/api/users/" + id), 400, "enabled");
        assertThat(as(admin).get("/admin/api/users/" + id).jsonPath().getBoolean("enabled")).as("nothing changed").isTrue();
    }

    @Test
    void createAndUpdateUserThenTimesInTheAnswerAreTheStoredOnes() {
        Response created = as(admin).body(Map.of("email", uniqueEmail("times"))).post("/admin/api/users");
        String id = created.jsonPath().getString("id");
        Response updated = as(admin).body(Map.of("enabled", false)).patch("/admin/api/users/" + id);
        Response read = as(admin).get("/admin/api/users/" + id);

        assertThat(created.jsonPath().getString("created_at")).isEqualTo(read.jsonPath().getString("created_at"));
        assertThat(updated.jsonPath().getString("updated_at")).isEqualTo(read.jsonPath().getString("updated_at"));
    }

    @Test
    void createUserWhenUnknownFieldsThenIgnoredAndCreated() {
        Map<String, Object> body = Map.of("email", uniqueEmail("extra"), "favourite_colour", "green");

        Response r = as(admin).body(body).post("/admin/api/users");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    }

    // ---- GET /admin/api/users

    @Test
    void listUsersWhenEmailInMixedCaseThenFindsTheUser() {
        String email = uniqueEmail("mixed");
        String id = createUser(admin, email, null, null);
        String mixed = mixCase(email);
        assertThat(mixed).isNotEqualTo(email);

        Response r = as(admin).queryParam("email", mixed).get("/admin/api/users");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getList("items.id", String.class)).containsExactly(id);
        assertThat(r.jsonPath().getString("items[0].email")).isEqualTo(email);
        assertThat(r.jsonPath().getString("next_cursor")).isNull();
    }

    @Test
    void listUsersWhenEmailUnknownThenNoItemsAndNoCursor() {
        Response r = as(admin).queryParam("email", uniqueEmail("nobody")).get("/admin/api/users");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getList("items")).isEmpty();
        assertThat(r.jsonPath().getString("next_cursor")).isNull();
    }

    @Test
    void listUsersWhenPagedWithLimitTwoThenEveryCreatedUserAppearsExactlyOnce() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(createUser(admin, uniqueEmail("page" + i), GOOD_PASSWORD, null));
        }

        Map<String, Integer> seen = new HashMap<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification req = as(admin).queryParam("limit", 2);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            Response r = req.get("/admin/api/users");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            List<String> ids = r.jsonPath().getList("items.id", String.class);
            assertThat(ids).hasSizeLessThanOrEqualTo(2);
            ids.forEach(id -> seen.merge(id, 1, Integer::sum));
            assertThat(allKeys(r.asString())).doesNotContain("password", "password_hash");
            cursor = r.jsonPath().getString("next_cursor");
            if (cursor != null) {
                assertThat(ids).hasSize(2);
            }
            pages++;
            assertThat(pages).as("paging must end").isLessThan(10_000);
        } while (cursor != null);

        for (String id : created) {
            assertThat(seen.get(id)).as("occurrences of user %s", id).isEqualTo(1);
        }
        assertThat(seen.values()).allMatch(n -> n == 1);
        assertThat(pages).isGreaterThanOrEqualTo(2);
    }

    @Test
    void listUsersWhenLimitOutOfRangeThenBadRequestNamingLimit() {
        assertAdminError(as(admin).queryParam("limit", 0).get("/admin/api/users"), 400, "limit");
    }

    @Test
    void listsWhenLimitNotAWholeNumberThenBadRequestNamingLimitNotNotFound() {
        for (String list : List.of("/admin/api/users", "/admin/api/clients", "/admin/api/audit")) {
            for (String limit : List.of("abc", "1.5", "99999999999", "+5", "-1")) {
                assertAdminError(as(admin).queryParam("limit", limit).get(list), 400, "limit");
            }
            assertThat(as(admin).queryParam("limit", "200").get(list).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void listUsersWhenCursorMalformedThenBadRequestNamingCursor() {
        assertAdminError(as(admin).queryParam("cursor", "not-a-cursor").get("/admin/api/users"), 400, "cursor");
    }

    // ---- GET /admin/api/users/{id}

    @Test
    void getUserWhenExistsThenShowsManualRoleAssignmentsAndLinkedIdentities() {
        String role = createRole(admin, uniqueRole("viewer"));
        String email = uniqueEmail("get");
        String id = createUser(admin, email, GOOD_PASSWORD, List.of("regular", role));

        Response r = as(admin).get("/admin/api/users/" + id);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonPath user = r.jsonPath();
        assertThat(user.getString("id")).isEqualTo(id);
        assertThat(user.getString("email")).isEqualTo(email);
        assertThat(user.getList("roles", String.class)).containsExactlyInAnyOrder("regular", role);
        List<Map<String, String>> assignments = user.getList("role_assignments");
        assertThat(assignments).containsExactlyInAnyOrder(
                Map.of("role", "regular", "source", "manual"),
                Map.of("role", role, "source", "manual"));
        assertThat(user.getList("linked_identities")).isEmpty();
        assertThat(allKeys(r.asString())).doesNotContain("password", "password_hash");
        assertThat(r.asString()).doesNotContain(GOOD_PASSWORD).doesNotContain(storedPasswordHash(id));
    }

    @Test
    void getUserWhenUnknownThenNotFound() {
        assertAdminError(as(admin).get("/admin/api/users/" + UUID.randomUUID()), 404, null);
    }

    @Test
    void getUserWhenIdMalformedThenNotFound() {
        assertAdminError(as(admin).get("/admin/api/users/not-a-uuid"), 404, null);
    }

    // ---- PATCH /admin/api/users/{id}

    @Test
    void patchUserWhenDisabledThenUserShowsDisabled() {
        String id = createUser(admin, uniqueEmail("disable"), null, null);

        Response r = as(admin).body(Map.of("enabled", false)).patch("/admin/api/users/" + id);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("enabled")).isFalse();
        assertThat(as(admin).get("/admin/api/users/" + id).jsonPath().getBoolean("enabled")).isFalse();
    }

    @Test
    void patchUserWhenReEnabledThenUserShowsEnabled() {
        String id = createUser(admin, uniqueEmail("reenable"), null, null);
        as(admin).body(Map.of("enabled", false)).patch("/admin/api/users/" + id).then().statusCode(200);

        Response r = as(admin).body(Map.of("enabled", true)).patch("/admin/api/users/" + id);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("enabled")).isTrue();
    }

    @Test
    void patchUserWhenEmailVerifiedThenUserShowsVerified() {
        String id = createUser(admin, uniqueEmail("verify"), null, null);

        Response r = as(admin).body(Map.of("email_verified", true)).patch("/admin/api/users/" + id);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("email_verified")).isTrue();
        assertThat(as(admin).get("/admin/api/users/" + id).jsonPath().getBoolean("email_verified")).isTrue();
    }

    @Test
    void patchUserWhenNewPasswordThenStoredHashChangesAndIsNeverReturned() {
        String id = createUser(admin, uniqueEmail("new-pw"), GOOD_PASSWORD, null);
        String before = storedPasswordHash(id);
        String newPassword = "another-long-password-" + UUID.randomUUID();

        Response r = as(admin).body(Map.of("password", newPassword)).patch("/admin/api/users/" + id);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        String after = storedPasswordHash(id);
        assertThat(after).isNotEqualTo(before).doesNotContain(newPassword);
        assertThat(allKeys(r.asString())).doesNotContain("password", "password_hash");
        assertThat(r.asString()).doesNotContain(newPassword).doesNotContain(after);
    }

    @Test
    void patchUserWhenPasswordHasSevenCharactersThenBadRequestNamingPasswordAndUnchanged() {
        String id = createUser(admin, uniqueEmail("patch-short"), GOOD_PASSWORD, null);
        String before = storedPasswordHash(id);

        assertAdminError(as(admin).body(Map.of("password", "abcdefg")).patch("/admin/api/users/" + id), 400, "password");
        assertThat(storedPasswordHash(id)).isEqualTo(before);
    }

    @Test
    void patchUserWhenPasswordEqualsEmailThenBadRequestNamingPassword() {
        String email = uniqueEmail("patch-pw-email");
        String id = createUser(admin, email, null, null);

        assertAdminError(as(admin).body(Map.of("password", email)).patch("/admin/api/users/" + id), 400, "password");
    }

    @Test
    void patchUserWhenPasswordAndDisableInvalidTogetherThenNothingIsWritten() {
        String id = createUser(admin, uniqueEmail("atomic"), GOOD_PASSWORD, null);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", false);
        body.put("password", "short");
        assertAdminError(as(admin).body(body).patch("/admin/api/users/" + id), 400, "password");

        assertThat(as(admin).get("/admin/api/users/" + id).jsonPath().getBoolean("enabled")).isTrue();
    }

    @Test
    void patchUserWhenEnabledHasWrongTypeThenBadRequestNamingEnabled() {
        String id = createUser(admin, uniqueEmail("wrong-type"), null, null);

        assertAdminError(as(admin).body(Map.of("enabled", List.of("no"))).patch("/admin/api/users/" + id), 400, "enabled");
    }

    @Test
    void patchUserWhenUnknownThenNotFound() {
        assertAdminError(as(admin).body(Map.of("enabled", false)).patch("/admin/api/users/" + UUID.randomUUID()), 404, null);
    }

    // ---- PUT /admin/api/users/{id}/roles

    @Test
    void replaceRolesWhenValidThenManualAssignmentsReplaced() {
        String role = createRole(admin, uniqueRole("replacement"));
        String id = createUser(admin, uniqueEmail("replace"), null, null);

        Response r = as(admin).body(Map.of("roles", List.of(role))).put("/admin/api/users/" + id + "/roles");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getList("roles", String.class)).containsExactly(role);
        JsonPath stored = as(admin).get("/admin/api/users/" + id).jsonPath();
        assertThat(stored.getList("roles", String.class)).containsExactly(role);
        assertThat(stored.<Map<String, String>>getList("role_assignments")).containsExactly(Map.of("role", role, "source", "manual"));
    }

    @Test
    void replaceRolesWhenEmptyListThenUserHoldsNoRole() {
        String id = createUser(admin, uniqueEmail("no-roles"), null, null);

        Response r = as(admin).body(Map.of("roles", List.of())).put("/admin/api/users/" + id + "/roles");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getList("roles")).isEmpty();
        assertThat(as(admin).get("/admin/api/users/" + id).jsonPath().getList("role_assignments")).isEmpty();
    }

    @Test
    void replaceRolesWhenRoleUnknownThenBadRequestNamingRoleIndexAndRolesUnchanged() {
        String id = createUser(admin, uniqueEmail("replace-unknown"), null, null);

        Response r = as(admin).body(Map.of("roles", List.of(uniqueRole("missing"), "regular"))).put("/admin/api/users/" + id + "/roles");

        assertAdminError(r, 400, "roles[0]");
        assertThat(as(admin).get("/admin/api/users/" + id).jsonPath().getList("roles", String.class)).containsExactly("regular");
    }

    @Test
    void replaceRolesWhenRolesMissingThenBadRequestNamingRoles() {
        String id = createUser(admin, uniqueEmail("replace-missing"), null, null);

        assertAdminError(as(admin).body(Map.of()).put("/admin/api/users/" + id + "/roles"), 400, "roles");
    }

    @Test
    void replaceRolesWhenUserUnknownThenNotFound() {
        assertAdminError(as(admin).body(Map.of("roles", List.of("regular"))).put("/admin/api/users/" + UUID.randomUUID() + "/roles"),
                404, null);
    }

    // ---- the last admin (SPEC section 9: cannot lose admin, be disabled or be deleted: 409)

    @Test
    void replaceRolesWhenAnotherEnabledAdminExistsThenAdminCanBeRemoved() {
        String id = createUser(admin, uniqueEmail("admin-a"), GOOD_PASSWORD, List.of("admin"));
        // the bootstrap admin root@example.com is another enabled admin

        Response r = as(admin).body(Map.of("roles", List.of("regular"))).put("/admin/api/users/" + id + "/roles");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getList("roles", String.class)).containsExactly("regular");
    }

    @Test
    void patchUserWhenAnotherEnabledAdminExistsThenAdminCanBeDisabledAndDeleted() {
        String id = createUser(admin, uniqueEmail("admin-b"), GOOD_PASSWORD, List.of("admin"));

        Response disabled = as(admin).body(Map.of("enabled", false)).patch("/admin/api/users/" + id);
        assertThat(disabled.statusCode()).as(disabled.asString()).isEqualTo(200);

        String other = createUser(admin, uniqueEmail("admin-c"), GOOD_PASSWORD, List.of("admin"));
        assertThat(as(admin).delete("/admin/api/users/" + other).statusCode()).isEqualTo(204);
    }

    @Test
    void replaceRolesWhenUserIsLastEnabledAdminThenConflictAndKeepsAdmin() {
        String id = createUser(admin, uniqueEmail("last-admin-roles"), GOOD_PASSWORD, List.of("admin"));
        try {
            withOnlyEnabledAdmin(admin, id, () -> {
                Response r = as(admin).body(Map.of("roles", List.of("regular"))).put("/admin/api/users/" + id + "/roles");
                assertAdminError(r, 409, null);
                Response empty = as(admin).body(Map.of("roles", List.of())).put("/admin/api/users/" + id + "/roles");
                assertAdminError(empty, 409, null);
                assertThat(as(admin).get("/admin/api/users/" + id).jsonPath().getList("roles", String.class)).contains("admin");
            });
        } finally {
            as(admin).delete("/admin/api/users/" + id);
        }
    }

    @Test
    void patchUserWhenUserIsLastEnabledAdminAndDisabledThenConflictAndStaysEnabled() {
        String id = createUser(admin, uniqueEmail("last-admin-disable"), GOOD_PASSWORD, List.of("admin"));
        try {
            withOnlyEnabledAdmin(admin, id, () -> {
                assertAdminError(as(admin).body(Map.of("enabled", false)).patch("/admin/api/users/" + id), 409, null);
                assertThat(as(admin).get("/admin/api/users/" + id).jsonPath().getBoolean("enabled")).isTrue();
            });
        } finally {
            as(admin).delete("/admin/api/users/" + id);
        }
    }

    @Test
    void deleteUserWhenUserIsLastEnabledAdminThenConflictAndUserRemains() {
        String id = createUser(admin, uniqueEmail("last-admin-delete"), GOOD_PASSWORD, List.of("admin"));
        try {
            withOnlyEnabledAdmin(admin, id, () -> {
                assertAdminError(as(admin).delete("/admin/api/users/" + id), 409, null);
                assertThat(as(admin).get("/admin/api/users/" + id).statusCode()).isEqualTo(200);
            });
        } finally {
            as(admin).delete("/admin/api/users/" + id);
        }
    }

    @Test
    void replaceRolesWhenLastEnabledAdminKeepsAdminAmongOthersThenAllowed() {
        String role = createRole(admin, uniqueRole("extra"));
        String id = createUser(admin, uniqueEmail("last-admin-keeps"), GOOD_PASSWORD, List.of("admin"));
        try {
            withOnlyEnabledAdmin(admin, id, () -> {
                Response r = as(admin).body(Map.of("roles", List.of("admin", role))).put("/admin/api/users/" + id + "/roles");
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
                assertThat(r.jsonPath().getList("roles", String.class)).containsExactlyInAnyOrder("admin", role);
            });
        } finally {
            as(admin).delete("/admin/api/users/" + id);
        }
    }

    // ---- DELETE /admin/api/users/{id}

    @Test
    void deleteUserWhenExistsThenNoContentAndUserAndExportAreGone() {
        String email = uniqueEmail("erase");
        String id = createUser(admin, email, GOOD_PASSWORD, null);

        Response r = as(admin).delete("/admin/api/users/" + id);

        assertThat(r.statusCode()).isEqualTo(204);
        assertAdminError(as(admin).get("/admin/api/users/" + id), 404, null);
        assertAdminError(as(admin).get("/admin/api/users/" + id + "/export"), 404, null);
        assertThat(usersWithEmail(email)).isEmpty();
    }

    @Test
    void deleteUserWhenDeletedThenEmailCanBeRegisteredAgain() {
        String email = uniqueEmail("erase-reuse");
        String id = createUser(admin, email, null, null);
        assertThat(as(admin).delete("/admin/api/users/" + id).statusCode()).isEqualTo(204);

        String again = createUser(admin, email, null, null);

        assertThat(again).isNotEqualTo(id);
    }

    @Test
    void deleteUserWhenUnknownThenNotFound() {
        assertAdminError(as(admin).delete("/admin/api/users/" + UUID.randomUUID()), 404, null);
    }

    // ---- GET /admin/api/users/{id}/export

    @Test
    void exportUserWhenExistsThenShowsStoredDataWithoutSecretsOrHashes() {
        String email = uniqueEmail("export");
        String id = createUser(admin, email, GOOD_PASSWORD, null);
        String hash = storedPasswordHash(id);

        Response r = as(admin).get("/admin/api/users/" + id + "/export");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonPath export = r.jsonPath();
        assertThat(export.getString("user.id")).isEqualTo(id);
        assertThat(export.getString("user.email")).isEqualTo(email);
        assertThat(export.getList("audit.action", String.class)).contains("user.created");
        assertThat(allKeys(r.asString()))
                .doesNotContain("password", "password_hash", "secret", "client_secret", "secret_hash")
                .noneMatch(k -> k.contains("hash") || k.contains("secret"));
        assertThat(r.asString()).doesNotContain(GOOD_PASSWORD).doesNotContain(hash);
    }

    @Test
    void exportUserWhenUnknownThenNotFound() {
        assertAdminError(as(admin).get("/admin/api/users/" + UUID.randomUUID() + "/export"), 404, null);
    }

    // ---- helpers

    private List<String> usersWithEmail(String email) {
        Response r = as(admin).queryParam("email", email).get("/admin/api/users");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath().getList("items.id", String.class);
    }

    /** Alternates the case of the letters: {@code AbCd...}. */
    private static String mixCase(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(i % 2 == 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return b.toString();
    }

    /** The stored hash, read from the database: it must never show up in a response. */
    private String storedPasswordHash(String userId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("select password_hash from app_user where id = ?")) {
            st.setObject(1, UUID.fromString(userId));
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("user %s exists", userId).isTrue();
                String hash = rs.getString(1);
                assertThat(hash).as("stored password hash").isNotBlank();
                return hash;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- mail off (no MELTANO_AUTH_SMTP_URL): nothing that needs mail is offered

    @Test
    void inviteWhenMailOffThenRefusedNamingInviteAndNoUserCreated() {
        String email = uniqueEmail("invite-mail-off");

        Response r = as(admin).body(Map.of("email", email, "invite", true)).post("/admin/api/users");

        assertAdminError(r, 400, "invite");
        assertThat(r.jsonPath().getString("error_description")).contains("MELTANO_AUTH_SMTP_URL");
        assertThat(usersWithEmail(email)).as("nothing written").isEmpty();
    }

    @Test
    void resendVerificationWhenMailOffThenInvalidRequest() {
        String id = createUser(admin, uniqueEmail("resend-mail-off"), GOOD_PASSWORD, null);

        Response r = as(admin).post("/admin/api/users/" + id + "/verification");

        assertAdminError(r, 400, null);
        assertThat(r.jsonPath().getString("error_description")).contains("mail is off");
    }

    @Test
    void openApiWhenRequestedThenDescribesInvitationAndResendingVerification() {
        Response r = io.restassured.RestAssured.given().accept("application/json").get("/q/openapi");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonPath doc = r.jsonPath();
        assertThat(doc.getMap("paths").keySet()).contains("/admin/api/users/{id}/verification");
        assertThat(doc.getMap("paths.'/admin/api/users/{id}/verification'.post.responses").keySet())
                .contains("202", "400", "404", "409");
        assertThat(doc.getMap("components.schemas.CreateUser.properties").keySet()).contains("invite");
    }
}
