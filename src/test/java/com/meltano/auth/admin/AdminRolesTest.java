package com.meltano.auth.admin;

import static com.meltano.auth.admin.AdminFixtures.addPermission;
import static com.meltano.auth.admin.AdminFixtures.as;
import static com.meltano.auth.admin.AdminFixtures.assertAdminError;
import static com.meltano.auth.admin.AdminFixtures.createRole;
import static com.meltano.auth.admin.AdminFixtures.createUser;
import static com.meltano.auth.admin.AdminFixtures.uniqueEmail;
import static com.meltano.auth.admin.AdminFixtures.uniqueRole;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** {@code /admin/api/roles} as SPEC section 9 describes it. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AdminRolesTest {

    String admin;

    @BeforeEach
    void adminToken() {
        admin = Api.adminToken();
    }

    // ---- POST /admin/api/roles

    @Test
    void createRoleWhenNameAndDescriptionThenCreatedWithoutPermissions() {
        String name = uniqueRole("finance-analyst");

        Response r = as(admin).body(Map.of("name", name, "description", "Reads finance designs")).post("/admin/api/roles");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getString("name")).isEqualTo(name);
        assertThat(r.jsonPath().getString("description")).isEqualTo("Reads finance designs");
        assertThat(r.jsonPath().getList("permissions")).isEmpty();
        assertThat(as(admin).get("/admin/api/roles/" + name).statusCode()).isEqualTo(200);
    }

    @Test
    void createRoleWhenOnlyNameThenCreated() {
        String name = uniqueRole("plain");

        Response r = as(admin).body(Map.of("name", name)).post("/admin/api/roles");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getString("name")).isEqualTo(name);
    }

    @Test
    void createRoleWhenNameExistsThenConflict() {
        String name = createRole(admin, uniqueRole("dup"));

        assertAdminError(as(admin).body(Map.of("name", name, "description", "second")).post("/admin/api/roles"), 409, null);
        assertThat(as(admin).get("/admin/api/roles/" + name).jsonPath().getString("description")).isNull();
    }

    @Test
    void createRoleWhenBuiltInNameThenConflict() {
        assertAdminError(as(admin).body(Map.of("name", "admin")).post("/admin/api/roles"), 409, null);
        assertAdminError(as(admin).body(Map.of("name", "regular")).post("/admin/api/roles"), 409, null);
    }

    @Test
    void createRoleWhenNameMissingThenBadRequestNamingName() {
        assertAdminError(as(admin).body(Map.of("description", "nameless")).post("/admin/api/roles"), 400, "name");
    }

    @Test
    void createRoleWhenNameHasSpacesThenBadRequestNamingName() {
        assertAdminError(as(admin).body(Map.of("name", "has spaces")).post("/admin/api/roles"), 400, "name");
    }

    @Test
    void createRoleWhenNameIsEmptyThenBadRequestNamingName() {
        assertAdminError(as(admin).body(Map.of("name", "")).post("/admin/api/roles"), 400, "name");
    }

    // ---- GET /admin/api/roles, GET /admin/api/roles/{name}

    @Test
    void listRolesWhenCalledThenContainsBuiltInsAndCreatedRole() {
        String name = createRole(admin, uniqueRole("listed"));

        Response r = as(admin).get("/admin/api/roles");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getList("items.name", String.class)).contains("admin", "regular", name);
    }

    @Test
    void getRoleWhenAdminThenShowsBuiltInPermissions() {
        Response r = as(admin).get("/admin/api/roles/admin");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("name")).isEqualTo("admin");
        List<Map<String, String>> permissions = r.jsonPath().getList("permissions");
        assertThat(permissions).containsExactlyInAnyOrder(
                Map.of("type", "view:design", "context", "*"),
                Map.of("type", "view:reports", "context", "*"),
                Map.of("type", "modify:acl", "context", "*"),
                Map.of("type", "*", "context", "*"));
    }

    @Test
    void getRoleWhenRegularThenExists() {
        Response r = as(admin).get("/admin/api/roles/regular");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("name")).isEqualTo("regular");
    }

    @Test
    void getRoleWhenUnknownThenNotFound() {
        assertAdminError(as(admin).get("/admin/api/roles/" + uniqueRole("missing")), 404, null);
    }

    // ---- DELETE /admin/api/roles/{name}

    @Test
    void deleteRoleWhenCustomThenNoContentAndGone() {
        String name = createRole(admin, uniqueRole("doomed"));

        Response r = as(admin).delete("/admin/api/roles/" + name);

        assertThat(r.statusCode()).isEqualTo(204);
        assertAdminError(as(admin).get("/admin/api/roles/" + name), 404, null);
        assertThat(as(admin).get("/admin/api/roles").jsonPath().getList("items.name", String.class)).doesNotContain(name);
    }

    @Test
    void deleteRoleWhenAssignedToUserThenUserNoLongerHoldsIt() {
        String name = createRole(admin, uniqueRole("assigned"));
        String user = createUser(admin, uniqueEmail("role-holder"), null, List.of("regular", name));

        assertThat(as(admin).delete("/admin/api/roles/" + name).statusCode()).isEqualTo(204);

        assertThat(as(admin).get("/admin/api/users/" + user).jsonPath().getList("roles", String.class)).containsExactly("regular");
    }

    @Test
    void deleteRoleWhenAdminThenForbiddenAndRoleRemains() {
        Response r = as(admin).delete("/admin/api/roles/admin");

        assertAdminError(r, 403, null);
        assertThat(as(admin).get("/admin/api/roles/admin").statusCode()).isEqualTo(200);
    }

    @Test
    void deleteRoleWhenUnknownThenNotFound() {
        assertAdminError(as(admin).delete("/admin/api/roles/" + uniqueRole("missing")), 404, null);
    }

    // ---- POST /admin/api/roles/{name}/permissions

    @Test
    void addPermissionWhenValidThenCreatedAndListedOnRole() {
        String name = createRole(admin, uniqueRole("perm"));

        Response r = as(admin).body(Map.of("type", "view:design", "context", "finance.*"))
                .post("/admin/api/roles/" + name + "/permissions");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getString("type")).isEqualTo("view:design");
        assertThat(r.jsonPath().getString("context")).isEqualTo("finance.*");
        JsonPath role = as(admin).get("/admin/api/roles/" + name).jsonPath();
        assertThat(role.<Map<String, String>>getList("permissions"))
                .containsExactly(Map.of("type", "view:design", "context", "finance.*"));
    }

    @Test
    void addPermissionWhenSeveralThenAllListed() {
        String name = createRole(admin, uniqueRole("perms"));
        addPermission(admin, name, "view:design", "finance.*");
        addPermission(admin, name, "view:reports", "marketing.*");
        addPermission(admin, name, "view:design", "marketing.*");

        JsonPath role = as(admin).get("/admin/api/roles/" + name).jsonPath();

        assertThat(role.<Map<String, String>>getList("permissions")).containsExactlyInAnyOrder(
                Map.of("type", "view:design", "context", "finance.*"),
                Map.of("type", "view:design", "context", "marketing.*"),
                Map.of("type", "view:reports", "context", "marketing.*"));
    }

    @Test
    void addPermissionWhenRoleUnknownThenNotFound() {
        assertAdminError(as(admin).body(Map.of("type", "view:design", "context", "*"))
                .post("/admin/api/roles/" + uniqueRole("missing") + "/permissions"), 404, null);
    }

    @Test
    void addPermissionWhenTypeMissingThenBadRequestNamingType() {
        String name = createRole(admin, uniqueRole("no-type"));

        assertAdminError(as(admin).body(Map.of("context", "finance.*")).post("/admin/api/roles/" + name + "/permissions"), 400, "type");
        assertThat(as(admin).get("/admin/api/roles/" + name).jsonPath().getList("permissions")).isEmpty();
    }

    @Test
    void addPermissionWhenContextMissingThenBadRequestNamingContext() {
        String name = createRole(admin, uniqueRole("no-context"));

        assertAdminError(as(admin).body(Map.of("type", "view:design")).post("/admin/api/roles/" + name + "/permissions"), 400, "context");
    }

    @Test
    void addPermissionWhenContextEmptyThenBadRequestNamingContext() {
        String name = createRole(admin, uniqueRole("empty-context"));

        assertAdminError(as(admin).body(Map.of("type", "view:design", "context", ""))
                .post("/admin/api/roles/" + name + "/permissions"), 400, "context");
    }

    // ---- DELETE /admin/api/roles/{name}/permissions?type=&context=

    @Test
    void removePermissionWhenPresentThenNoContentAndOthersKept() {
        String name = createRole(admin, uniqueRole("remove"));
        addPermission(admin, name, "view:design", "finance.*");
        addPermission(admin, name, "view:reports", "*");

        Response r = as(admin).queryParam("type", "view:design").queryParam("context", "finance.*")
                .delete("/admin/api/roles/" + name + "/permissions");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(as(admin).get("/admin/api/roles/" + name).jsonPath().<Map<String, String>>getList("permissions"))
                .containsExactly(Map.of("type", "view:reports", "context", "*"));
    }

    @Test
    void removePermissionWhenAbsentThenNotFound() {
        String name = createRole(admin, uniqueRole("remove-absent"));
        addPermission(admin, name, "view:design", "finance.*");

        Response r = as(admin).queryParam("type", "view:design").queryParam("context", "marketing.*")
                .delete("/admin/api/roles/" + name + "/permissions");

        assertAdminError(r, 404, null);
        assertThat(as(admin).get("/admin/api/roles/" + name).jsonPath().getList("permissions")).hasSize(1);
    }

    @Test
    void removePermissionWhenRoleUnknownThenNotFound() {
        assertAdminError(as(admin).queryParam("type", "view:design").queryParam("context", "*")
                .delete("/admin/api/roles/" + uniqueRole("missing") + "/permissions"), 404, null);
    }

    @Test
    void removePermissionWhenTypeMissingThenBadRequestNamingType() {
        String name = createRole(admin, uniqueRole("remove-no-type"));

        assertAdminError(as(admin).queryParam("context", "*").delete("/admin/api/roles/" + name + "/permissions"), 400, "type");
    }
}
