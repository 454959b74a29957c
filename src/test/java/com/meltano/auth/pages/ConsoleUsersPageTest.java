package com.meltano.auth.pages;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.meltano.auth.admin.console.ConsoleUsersEndpoint;
import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The users pages of the admin console in Chromium (SPEC section 11). */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ConsoleUsersPageTest extends ConsolePageTest {

    private static final String NEW_PASSWORD = "a long enough password";

    @Test
    void adminCreatesUserWithRoleFindsThemByPrefixDisablesEnablesAndSetsRoles() {
        Person admin = newAdmin("console-users");
        String role = "analyst-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(Api.admin().body(Map.of("name", role)).post("/admin/api/roles").statusCode()).isEqualTo(201);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String email = "Console-New-" + tag + "@Example.com";
        openAs(admin, "/admin/users");

        typeInto("Email", email);
        assertThat(labelled("regular").isSelected()).as("a new user gets regular unless the admin says otherwise").isTrue();
        labelled(role).click();
        typeInto("Password (optional)", NEW_PASSWORD);
        pressButton("Create user");
        assertThat(path()).as(shown()).startsWith("/admin/users/");
        assertThat(page()).contains("User " + email + " created.").doesNotContain(NEW_PASSWORD);
        String id = path().substring("/admin/users/".length());
        assertThat(apiUser(id).jsonPath().getList("roles", String.class)).containsExactlyInAnyOrder(role, "regular");

        follow("Users");
        typeInto("Email starts with", "CONSOLE-new-" + tag);
        pressButton("Find");
        assertThat(rows()).as("found by a prefix in another case: %s", shown()).hasSize(1);
        assertThat(rows().get(0).getText()).contains(email).contains("enabled").contains(role + ", regular");
        follow(email);
        assertThat(path()).isEqualTo("/admin/users/" + id);

        follow("Disable user…");
        assertThat(page()).contains("Disable " + email + "?");
        pressButton("Disable " + email);
        assertThat(path()).isEqualTo("/admin/users/" + id);
        assertThat(page()).contains("User " + email + " disabled.");
        assertThat(apiUser(id).jsonPath().getBoolean("enabled")).isFalse();

        pressButton("Enable user");
        assertThat(page()).contains("User " + email + " enabled.");
        assertThat(apiUser(id).jsonPath().getBoolean("enabled")).isTrue();

        assertThat(labelled(role).isSelected()).isTrue();
        labelled(role).click();
        pressButton("Save roles");
        assertThat(page()).contains("Roles of " + email + " saved.");
        assertThat(labelled(role).isSelected()).isFalse();
        assertThat(apiUser(id).jsonPath().getList("roles", String.class)).containsExactly("regular");

        List<Map<String, Object>> events = Api.admin().get("/admin/api/audit").jsonPath().getList("items");
        assertThat(events).as("the console's changes are audited with the admin as actor").anySatisfy(e -> {
            assertThat(e.get("action")).isEqualTo("user.roles_replaced");
            assertThat(e.get("target")).isEqualTo(id);
            assertThat(e.get("actor")).isEqualTo(admin.id());
        });
    }

    @Test
    void createUserWhenEmailTakenThenErrorNextToFieldAndRolesKeptButPasswordNot() {
        Person admin = newAdmin("console-users-taken");
        Person existing = Person.create("console-users-existing");
        openAs(admin, "/admin/users");

        typeInto("Email", existing.email());
        labelled("regular").click();
        labelled("admin").click();
        typeInto("Password (optional)", NEW_PASSWORD);
        pressButton("Create user");

        assertThat(path()).isEqualTo("/admin/users");
        assertThat(invalid(labelled("Email"))).isTrue();
        assertThat(describedBy(labelled("Email"))).contains("Create a user").contains("Create a user: the email is taken by another account.");
        assertThat(labelled("Email").getDomProperty("value")).isEqualTo(existing.email());
        assertThat(labelled("admin").isSelected()).as("the ticked roles are kept").isTrue();
        assertThat(labelled("regular").isSelected()).isFalse();
        assertThat(labelled("Password (optional)").getDomProperty("value")).as("a password is never sent back").isEmpty();
        assertThat(driver().getPageSource()).doesNotContain(NEW_PASSWORD);
    }

    @Test
    void setPasswordWhenTooShortThenErrorNextToFieldThenSetsItAndSignsOutEverywhere() {
        Person admin = newAdmin("console-users-password");
        Person target = Person.create("console-users-target");
        openAs(admin, "/admin/users/" + target.id());

        typeInto("New password", "short");
        pressButton("Set password");
        assertThat(invalid(labelled("New password"))).isTrue();
        assertThat(describedBy(labelled("New password"))).contains("must be at least 8 characters");
        assertThat(driver().getPageSource()).doesNotContain("\"short\"");

        typeInto("New password", NEW_PASSWORD);
        pressButton("Set password");
        assertThat(page()).contains("New password set for " + target.email()).doesNotContain(NEW_PASSWORD);

        follow("Sign out everywhere…");
        pressButton("Sign out everywhere");
        assertThat(page()).contains("Signed out everywhere.");
        List<Map<String, Object>> events = Api.admin().get("/admin/api/audit").jsonPath().getList("items");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("action")).isEqualTo("user.signed_out_everywhere");
            assertThat(e.get("target")).isEqualTo(target.id());
        });
    }

    @Test
    void exportDownloadsTheUsersDataAsAnAttachment() {
        Person admin = newAdmin("console-users-export");
        Person target = Person.create("console-users-exported");
        openAs(admin, "/admin/users/" + target.id());
        WebElement link = driver().findElement(By.xpath("//a[starts-with(normalize-space(.), 'Download everything')]"));
        assertThat(link.getAttribute("href")).endsWith("/admin/users/" + target.id() + "/export");

        Response export = given().cookie(Browser.SESSION, driver().manage().getCookieNamed(Browser.SESSION).getValue())
                .redirects().follow(false).get("/admin/users/" + target.id() + "/export");
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.contentType()).startsWith(ContentType.JSON.toString());
        assertThat(export.header("Content-Disposition")).startsWith("attachment;");
        assertThat(export.jsonPath().getString("user.email")).isEqualTo(target.email());
        assertThat(export.asString()).doesNotContain("argon2");
    }

    @Test
    void eraseWhenTypedEmailWrongThenRefusedNextToFieldThenErasedWithTheEmail() {
        Person admin = newAdmin("console-users-erase");
        Person target = Person.create("console-users-erased");
        openAs(admin, "/admin/users/" + target.id());

        follow("Erase user…");
        typeInto("Type the email to confirm", "someone-else@example.com");
        pressButton("Erase user");
        assertThat(path()).isEqualTo("/admin/users/" + target.id() + "/erase");
        assertThat(invalid(labelled("Type the email to confirm"))).isTrue();
        assertThat(describedBy(labelled("Type the email to confirm"))).contains("does not match").contains("nothing was erased");
        assertThat(apiUser(target.id()).statusCode()).as("nothing erased").isEqualTo(200);

        typeInto("Type the email to confirm", target.email().toUpperCase(Locale.ROOT));
        pressButton("Erase user");
        assertThat(path()).isEqualTo("/admin/users");
        assertThat(page()).contains("erased.");
        assertThat(apiUser(target.id()).statusCode()).isEqualTo(404);
    }

    @Test
    void listPagesFollowNextPageUntilTheLastUser() {
        Person admin = newAdmin("console-users-pages");
        String prefix = "page-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        int total = ConsoleUsersEndpoint.PAGE_SIZE + 3;
        String token = Api.adminToken();
        for (int i = 0; i < total; i++) {
            Response r = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                    .body(Map.of("email", prefix + String.format("%03d", i) + "@example.com")).post("/admin/api/users");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        }
        openAs(admin, "/admin/users");
        typeInto("Email starts with", prefix);
        pressButton("Find");

        assertThat(rows()).hasSize(ConsoleUsersEndpoint.PAGE_SIZE);
        assertThat(rows().get(0).getText()).contains(prefix + "000@example.com");
        follow("Next page");
        assertThat(path()).contains("after=");
        assertThat(rows()).extracting(WebElement::getText).satisfiesExactly(
                r -> assertThat(r).contains(prefix + "050@"),
                r -> assertThat(r).contains(prefix + "051@"),
                r -> assertThat(r).contains(prefix + "052@"));
        assertThat(driver().findElements(By.linkText("Next page"))).isEmpty();

        follow("First page");
        assertThat(rows()).hasSize(ConsoleUsersEndpoint.PAGE_SIZE);
        Response api = Api.admin().queryParam("email_prefix", prefix.toUpperCase(Locale.ROOT)).queryParam("limit", 50)
                .get("/admin/api/users");
        assertThat(api.jsonPath().getList("items")).hasSize(50);
        Response rest = Api.admin().queryParam("email_prefix", prefix).queryParam("cursor", api.jsonPath().getString("next_cursor"))
                .get("/admin/api/users");
        assertThat(rest.jsonPath().getList("items.email", String.class))
                .containsExactly(prefix + "050@example.com", prefix + "051@example.com", prefix + "052@example.com");
        assertThat(rest.jsonPath().getString("next_cursor")).isNull();
    }

    private static List<WebElement> rows() {
        return driver().findElements(By.cssSelector("main table tbody tr"));
    }

    private static Response apiUser(String id) {
        return Api.admin().get("/admin/api/users/" + id);
    }

    @Test
    void mailOffThenCreateFormOffersNoInvitationAndUserPageNoResendOfVerification() {
        Person admin = newAdmin("console-users-mail-off");
        Person unverified = Person.create("console-users-unverified");
        openAs(admin, "/admin/users");

        assertThat(driver().findElements(By.name("invite"))).as("without mail no invitation: %s", shown()).isEmpty();
        assertThat(page()).doesNotContain("Invite by mail");
        assertThat(labelled("Password (optional)").isDisplayed()).isTrue();

        chromium.open("/admin/users/" + unverified.id());
        assertThat(page()).as(shown()).contains("not verified");
        assertThat(driver().findElements(By.xpath("//button[normalize-space(.)='Resend verification email']"))).isEmpty();
    }
}
