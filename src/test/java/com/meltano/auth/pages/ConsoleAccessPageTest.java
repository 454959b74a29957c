package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Who may use the console, and the who-can page (SPEC section 11): a non-admin gets 403, a removed
 * admin loses the console at the next request, a forged form is refused, every form is answered
 * 303, and "who can view finance.month_over_month?" lists roles with the matched pair, users and
 * clients, and explains a yes and a no for one user.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ConsoleAccessPageTest extends ConsolePageTest {

    @Test
    void whoCanWhenAskedThenRolesWithMatchedPairAndHoldersAndExplanationOfYesAndNo() {
        String role = "finance-viewer-" + UUID.randomUUID().toString().substring(0, 8);
        Api.admin().body(Map.of("name", role)).post("/admin/api/roles").then().statusCode(201);
        Api.admin().body(Map.of("type", "view:design", "context", "finance.*")).post("/admin/api/roles/" + role + "/permissions")
                .then().statusCode(201);
        Person holder = Person.create("finance-holder");
        setRoles(holder, List.of("regular", role));
        String client = Api.createServiceClient(List.of(role), false).get("client_id");
        Person admin = newAdmin("console-who-can");
        openAs(admin, "/admin/access");

        typeInto("Permission type", "view:design");
        typeInto("Resource name", "finance.month_over_month");
        pressButton("Ask");

        WebElement roles = table("Roles that allow it");
        assertThat(roles.getText()).contains(role).contains("view:design").contains("finance.*");
        assertThat(table("Users").getText()).contains(holder.email()).contains(role).contains("manual");
        assertThat(table("Clients").getText()).contains(client).contains(role);

        typeInto("User email or client id (optional)", holder.email());
        pressButton("Ask");
        assertThat(page()).as(shown()).contains("Yes. " + holder.email() + " may view:design on finance.month_over_month");

        typeInto("Resource name", "marketing.month_over_month");
        pressButton("Ask");
        assertThat(page()).contains("No. " + holder.email() + " may not view:design on marketing.month_over_month")
                .contains("has view:design on finance.*: the type matches, the context does not");
        assertThat(table("Roles that allow it").getText()).as("only admin's * allows it").doesNotContain(role).contains("admin");
    }

    @Test
    void whoCanWhenResourceMissingThenErrorNextToTheField() {
        Person admin = newAdmin("console-who-can-missing");
        openAs(admin, "/admin/access");

        typeInto("Permission type", "view:design");
        pressButton("Ask");

        assertThat(invalid(labelled("Resource name"))).isTrue();
        assertThat(describedBy(labelled("Resource name"))).contains("resource name is required");
        assertThat(labelled("Permission type").getDomProperty("value")).isEqualTo("view:design");
    }

    @Test
    void consoleWhenSignedInWithoutAdminRightThen403Page() {
        Person person = Person.create("console-not-admin");
        chromium.open("/admin/roles");
        signInWith(person.email(), Browser.PASSWORD);

        assertThat(page()).contains("You cannot use the admin console").contains(person.email());
        Browser http = signedIn(person);
        assertThat(http.get("/admin").statusCode()).isEqualTo(403);
        assertThat(http.get("/admin/access?type=view:design&resource=x").statusCode()).isEqualTo(403);
    }

    @Test
    void consoleWhenAdminRightRemovedThenRefusedAtTheNextRequest() {
        Person admin = newAdmin("console-removed-admin");
        openAs(admin, "/admin");
        assertThat(page()).contains("Overview");

        setRoles(admin, List.of("regular"));
        driver().navigate().refresh();

        assertThat(page()).contains("You cannot use the admin console");
    }

    @Test
    void consoleFormWhenTokenNotThisSessionsThenRefusedAndNothingChanged() {
        Person admin = newAdmin("console-csrf");
        String role = "forged-" + UUID.randomUUID().toString().substring(0, 8);
        openAs(admin, "/admin/roles");
        chromium.script("document.querySelector('input[name=csrf]').value = 'forged-token'");

        typeInto("Role name", role);
        pressButton("Create role");

        assertThat(page()).contains("This form was refused");
        assertThat(Api.admin().get("/admin/api/roles/" + role).statusCode()).isEqualTo(404);
        Browser http = signedIn(admin);
        Response forged = http.post("/admin/roles", Map.of("name", role));
        assertThat(forged.statusCode()).as("a form without the token").isEqualTo(403);
        assertThat(Api.admin().get("/admin/api/roles/" + role).statusCode()).isEqualTo(404);
    }

    @Test
    void rotateSecretOfAPublicClientThenThePageSaysWhyNothingWasDone() {
        Person admin = newAdmin("console-public-secret");
        String clientId = Api.admin().body(Map.of("name", "public-app", "redirect_uris", List.of("http://127.0.0.1:9/cb"),
                "grant_types", List.of("authorization_code"), "token_endpoint_auth_method", "none"))
                .contentType("application/json").post("/admin/api/clients").jsonPath().getString("client_id");
        Browser http = signedIn(admin);
        Response confirm = http.get("/admin/clients/" + clientId + "/secret");

        Response refused = HttpForms.post(http, confirm, "/admin/clients/" + clientId + "/secret", Map.of());

        assertThat(refused.statusCode()).isEqualTo(303);
        assertThat(Browser.html(http.follow(refused)).select("[role=alert]").text())
                .contains("Rotate the secret: a public client has no secret.");
    }

    @Test
    void consoleFormsWhenPostedThenEveryAnswerIs303() {
        Person admin = newAdmin("console-303");
        String role = "seen-" + UUID.randomUUID().toString().substring(0, 8);
        Browser http = signedIn(admin);
        Response roles = http.get("/admin/roles");
        assertThat(roles.statusCode()).isEqualTo(200);

        Response created = HttpForms.post(http, roles, "/admin/roles", Map.of("name", role));
        Response refused = HttpForms.post(http, roles, "/admin/roles", Map.of("name", role));
        assertThat(http.follow(refused).asString()).as("the page after a refused form says why")
                .contains("the name is taken by another role.");
        Response rolePage = http.get("/admin/roles/" + role);
        Response permitted = HttpForms.post(http, rolePage, "/admin/roles/" + role + "/permissions",
                Map.of("type", "view:design", "context", "finance.*"));
        Response deleted = http.post("/admin/roles/" + role + "/delete", Map.of("csrf", Browser.csrf(rolePage)));

        assertThat(List.of(created, refused, permitted, deleted)).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
            assertThat(Browser.ourPath(r.header("Location"))).startsWith("/admin");
        });
    }

    /** An HTTP client signed in as {@code person} through the sign-in form the console sends to. */
    private static Browser signedIn(Person person) {
        Browser http = new Browser();
        Response login = HttpForms.settle(http, http.get("/admin"));
        Response done = HttpForms.post(http, login, "/login", Map.of("email", person.email(), "password", Browser.PASSWORD));
        assertThat(done.statusCode()).as(done.asString()).isEqualTo(303);
        return http;
    }

    private static WebElement table(String captionStart) {
        return driver().findElement(By.xpath("//table[caption[starts-with(normalize-space(.), '" + captionStart + "')]]"));
    }
}
