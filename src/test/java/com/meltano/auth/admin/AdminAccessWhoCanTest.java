package com.meltano.auth.admin;

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

/**
 * {@code GET /admin/api/access} (SPEC section 11): who can do a type on a resource, by the SPEC
 * section 8 matcher; roles with the pattern pair that matched, users and clients with the role they
 * hold it through and the assignment's source.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AdminAccessWhoCanTest {

    String admin;

    @BeforeEach
    void adminToken() {
        admin = Api.adminToken();
    }

    private JsonPath who(String type, String resource) {
        Response r = AdminFixtures.as(admin).queryParam("type", type).queryParam("resource", resource).get("/admin/api/access");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath();
    }

    @Test
    void whoCanWhenRoleAllowsByGlobThenRoleWithMatchedPairAndItsUsersAndClients() {
        String finance = AdminFixtures.createRole(admin, AdminFixtures.uniqueRole("finance-viewers"));
        AdminFixtures.addPermission(admin, finance, "view:design", "finance.*");
        String marketing = AdminFixtures.createRole(admin, AdminFixtures.uniqueRole("marketing-viewers"));
        AdminFixtures.addPermission(admin, marketing, "view:design", "marketing.*");
        String analystEmail = AdminFixtures.uniqueEmail("analyst");
        String analyst = AdminFixtures.createUser(admin, analystEmail, AdminFixtures.GOOD_PASSWORD, List.of(finance));
        String marketer = AdminFixtures.createUser(admin, AdminFixtures.uniqueEmail("marketer"), AdminFixtures.GOOD_PASSWORD,
                List.of(marketing));
        String disabled = AdminFixtures.createUser(admin, AdminFixtures.uniqueEmail("former"), AdminFixtures.GOOD_PASSWORD,
                List.of(finance));
        AdminFixtures.as(admin).body(Map.of("enabled", false)).patch("/admin/api/users/" + disabled).then().statusCode(200);
        String service = AdminFixtures.createServiceClient(admin, List.of(finance), false).getString("client_id");

        JsonPath answer = who("view:design", "finance.month_over_month");

        assertThat(answer.getList("roles.findAll { it.name == '" + finance + "' }.matched", Map.class))
                .containsExactly(Map.of("type", "view:design", "context", "finance.*"));
        assertThat(answer.getList("roles.name", String.class)).doesNotContain(marketing);
        assertThat(answer.getList("users.findAll { it.id == '" + analyst + "' }", Map.class)).singleElement()
                .satisfies(u -> {
                    assertThat(u).containsEntry("email", analystEmail).containsEntry("via", finance)
                            .containsEntry("source", "manual").containsEntry("enabled", true);
                });
        assertThat(answer.getList("users.findAll { it.id == '" + disabled + "' }.enabled", Boolean.class)).containsExactly(false);
        assertThat(answer.getList("users.id", String.class)).doesNotContain(marketer);
        assertThat(answer.getList("clients.findAll { it.client_id == '" + service + "' }.via", String.class)).containsExactly(finance);
    }

    @Test
    void whoCanWhenUserNamedThenExplanationWithAllowingPermissionOrNearMiss() {
        String finance = AdminFixtures.createRole(admin, AdminFixtures.uniqueRole("finance-explained"));
        AdminFixtures.addPermission(admin, finance, "view:design", "finance.*");
        String email = AdminFixtures.uniqueEmail("explained");
        AdminFixtures.createUser(admin, email, AdminFixtures.GOOD_PASSWORD, List.of(finance));

        JsonPath yes = AdminFixtures.as(admin).queryParam("type", "view:design").queryParam("resource", "finance.q1")
                .queryParam("user", email).get("/admin/api/access").then().statusCode(200).extract().jsonPath();
        JsonPath no = AdminFixtures.as(admin).queryParam("type", "view:design").queryParam("resource", "marketing.q1")
                .queryParam("user", email).get("/admin/api/access").then().statusCode(200).extract().jsonPath();

        assertThat(yes.getBoolean("explanation.allowed")).isTrue();
        assertThat(yes.getList("explanation.allowing", Map.class)).singleElement()
                .satisfies(w -> assertThat(w).containsEntry("role", finance).containsEntry("context", "finance.*"));
        assertThat(yes.getList("roles.name", String.class)).as("the SPEC answer is still there").contains(finance);
        assertThat(no.getBoolean("explanation.allowed")).isFalse();
        assertThat(no.getList("explanation.near_misses", Map.class)).singleElement()
                .satisfies(w -> assertThat(w).containsEntry("type_matches", true).containsEntry("context_matches", false));
        assertThat(AdminFixtures.as(admin).queryParam("type", "view:design").queryParam("resource", "x")
                .queryParam("user", "nobody-" + email).get("/admin/api/access").then().statusCode(400).extract()
                .jsonPath().getString("field")).isEqualTo("user");
    }

    @Test
    void whoCanWhenNameOutsideEveryPatternThenNoRoleOfOurs() {
        String exact = AdminFixtures.createRole(admin, AdminFixtures.uniqueRole("exact"));
        AdminFixtures.addPermission(admin, exact, "view:design", "finance");

        assertThat(who("view:design", "finance.q1").getList("roles.name", String.class)).doesNotContain(exact);
        assertThat(who("view:design", "finance").getList("roles.name", String.class)).contains(exact);
    }

    @Test
    void whoCanWhenTypeOrResourceMissingThenFieldNamed() {
        AdminFixtures.assertAdminError(AdminFixtures.as(admin).queryParam("resource", "x").get("/admin/api/access"), 400, "type");
        AdminFixtures.assertAdminError(AdminFixtures.as(admin).queryParam("type", "view:design").get("/admin/api/access"), 400,
                "resource");
    }

    @Test
    void whoCanWhenCalledWithoutAdminRightThenForbidden() {
        Map<String, String> client = Api.createServiceClient(List.of(), false);
        String token = Api.token(client.get("client_id"), client.get("client_secret"), null);

        Response r = AdminFixtures.as(token).queryParam("type", "view:design").queryParam("resource", "x").get("/admin/api/access");

        AdminFixtures.assertAdminError(r, 403, null);
    }
}
