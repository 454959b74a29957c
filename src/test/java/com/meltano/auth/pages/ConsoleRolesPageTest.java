package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The roles pages of the admin console in Chromium (SPEC section 11). */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ConsoleRolesPageTest extends ConsolePageTest {

    @Test
    void adminCreatesRoleAddsAndRemovesPermissionThenDeletesRole() {
        Person admin = newAdmin("console-roles");
        String role = "finance-viewer-" + UUID.randomUUID().toString().substring(0, 8);
        openAs(admin, "/admin/roles");

        typeInto("Role name", role);
        typeInto("Description (optional)", "Sees finance dashboards");
        pressButton("Create role");
        assertThat(path()).isEqualTo("/admin/roles/" + role);
        assertThat(page()).contains("Role " + role + " created.");

        typeInto("Permission type", "view:design");
        typeInto("Context", "finance.*");
        pressButton("Add permission");
        assertThat(page()).as(shown()).contains("Added view:design on finance.*.");
        Map<String, Object> stored = Api.admin().get("/admin/api/roles/" + role).jsonPath().getMap("");
        assertThat(stored.get("permissions")).as("the REST API sees the same role").asList().hasSize(1);

        pressButton("Remove view:design on finance.*");
        assertThat(page()).contains("Removed view:design on finance.*.").contains("This role grants no permission yet.");

        follow("Delete role " + role + "…");
        assertThat(page()).contains("Delete the role " + role + "?");
        pressButton("Delete role " + role);
        assertThat(path()).isEqualTo("/admin/roles");
        assertThat(page()).contains("Role " + role + " deleted.");
        assertThat(Api.admin().get("/admin/api/roles/" + role).statusCode()).isEqualTo(404);

        List<Map<String, Object>> events = Api.admin().get("/admin/api/audit").jsonPath().getList("items");
        assertThat(events).as("audit events of the console name the admin's user id as actor")
                .anySatisfy(e -> {
                    assertThat(e.get("action")).isEqualTo("role.deleted");
                    assertThat(e.get("target")).isEqualTo(role);
                    assertThat(e.get("actor")).isEqualTo(admin.id());
                });
    }

    @Test
    void createRoleWithKeyboardOnlyThenRolePageShown() {
        Person admin = newAdmin("console-roles-keys");
        String role = "keyboard-" + UUID.randomUUID().toString().substring(0, 8);
        openAs(admin, "/admin/roles");

        WebElement html = driver().findElement(By.tagName("html"));
        // from the top of the page, Tab reaches the role name field (after the skip link, the navigation and a link per role)
        boolean reached = false;
        for (int i = 0; i < 1000 && !reached; i++) {
            new Actions(driver()).sendKeys(Keys.TAB).perform();
            reached = "create-name".equals(driver().switchTo().activeElement().getAttribute("id"));
        }
        assertThat(reached).as("Tab reaches the Role name field").isTrue();
        new Actions(driver()).sendKeys(role + Keys.ENTER).perform();
        chromium.waitForNewPage(html);

        assertThat(path()).isEqualTo("/admin/roles/" + role);
    }

    @Test
    void createRoleWhenNameInvalidThenErrorNextToFieldAndTypedNameKept() {
        Person admin = newAdmin("console-roles-bad");
        openAs(admin, "/admin/roles");

        typeInto("Role name", "no spaces allowed");
        pressButton("Create role");

        assertThat(path()).isEqualTo("/admin/roles");
        assertThat(labelled("Role name").getDomProperty("value")).isEqualTo("no spaces allowed");
        assertThat(invalid(labelled("Role name"))).isTrue();
        assertThat(describedBy(labelled("Role name"))).contains("Create a role").contains("must match");
        driver().navigate().refresh();
        assertThat(page()).as("the error is shown once, not again on reload").doesNotContain("must match [");
    }
}
