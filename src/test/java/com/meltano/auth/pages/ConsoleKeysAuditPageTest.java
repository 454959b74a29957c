package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;
import com.meltano.auth.support.TestData;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The keys and audit pages of the admin console in Chromium (SPEC section 11). */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ConsoleKeysAuditPageTest extends ConsolePageTest {

    private static final Pattern NEW_KEY = Pattern.compile("New (\\S+) key (\\S+) staged");

    @Test
    void rotateKeyThenNewKidStagedAndAuditShowsItFilteredByActionAndActor() {
        Person admin = newAdmin("console-keys");
        openAs(admin, "/admin/keys");

        pressButton("Rotate");
        assertThat(path()).isEqualTo("/admin/keys");
        Matcher m = NEW_KEY.matcher(page());
        assertThat(m.find()).as(shown()).isTrue();
        String kid = m.group(2);
        assertThat(stateOf(kid)).isEqualTo("staged");

        follow("Rotate and activate now…");
        assertThat(page()).contains("Rotate the signing key and activate the new one now?")
                .contains("about 15 seconds").contains("keeps verifying the tokens it signed until they expire");
        follow("Cancel");
        assertThat(path()).isEqualTo("/admin/keys");

        follow("Audit");
        typeInto("Action", "keys.rotated");
        typeInto("Actor", admin.id());
        pressButton("Filter");
        assertThat(path()).startsWith("/admin/audit?");
        List<WebElement> rows = driver().findElements(By.cssSelector("table.audit tbody tr"));
        assertThat(rows).as(shown()).hasSize(1);
        assertThat(rows.get(0).findElement(By.cssSelector("td:nth-child(2)")).getText()).isEqualTo("keys.rotated");
        assertThat(rows.get(0).findElement(By.cssSelector("td:nth-child(3)")).getText()).isEqualTo(admin.id());
        assertThat(rows.get(0).findElement(By.cssSelector("td:nth-child(5)")).getText())
                .as("details as compact JSON").contains("\"kids\":[\"" + kid + "\"").doesNotContain(": ");

        typeInto("Action", "client.created");
        pressButton("Filter");
        assertThat(page()).as("another action by the same actor: none").contains("No event matches.");

        follow("All events");
        assertThat(driver().findElements(By.cssSelector("table.audit tbody tr"))).as("unfiltered: the newest events").isNotEmpty();
    }

    @Test
    void auditFilteredByActionAndActorThenOlderEventsKeepTheFilter() {
        Person admin = newAdmin("console-audit-pages");
        String tag = admin.id().substring(0, 8);
        for (int i = 0; i <= ConsoleAuditPage.SIZE; i++) { // one more than a page, made over the REST API by its client
            assertThat(Api.admin().body(Map.of("name", "audit-" + tag + "-" + i)).post("/admin/api/roles").statusCode()).isEqualTo(201);
        }
        Map<String, Object> first = Api.admin().queryParam("action", "role.created").queryParam("actor", TestData.ADMIN_CLIENT_ID)
                .queryParam("limit", 2).get("/admin/api/audit").jsonPath().getMap("");
        assertThat((List<?>) first.get("items")).as("the REST API filters the same way").hasSize(2)
                .allSatisfy(e -> assertThat(((Map<?, ?>) e).get("target")).asString().startsWith("audit-" + tag + "-"));

        openAs(admin, "/admin/audit");
        typeInto("Action", "role.created");
        typeInto("Actor", TestData.ADMIN_CLIENT_ID);
        pressButton("Filter");
        List<String> firstPage = targets();
        assertThat(firstPage).as(shown()).hasSize(ConsoleAuditPage.SIZE).first().isEqualTo("audit-" + tag + "-" + ConsoleAuditPage.SIZE);

        follow("Older events");
        assertThat(path()).contains("action=role.created").contains("cursor=");
        List<String> older = targets();
        assertThat(older).as(shown()).isNotEmpty().doesNotContainAnyElementsOf(firstPage).contains("audit-" + tag + "-0");
        assertThat(driver().findElements(By.cssSelector("table.audit tbody tr td:nth-child(2)")))
                .allSatisfy(e -> assertThat(e.getText()).isEqualTo("role.created"));
        assertThat(labelled("Actor").getDomProperty("value")).isEqualTo(TestData.ADMIN_CLIENT_ID);

        for (int i = 0; i <= ConsoleAuditPage.SIZE; i++) {
            Api.admin().delete("/admin/api/roles/audit-" + tag + "-" + i);
        }
    }

    /** The console's audit page size. */
    private static final class ConsoleAuditPage {
        static final int SIZE = 50;
    }

    private static List<String> targets() {
        return driver().findElements(By.cssSelector("table.audit tbody tr td:nth-child(4)")).stream().map(WebElement::getText).toList();
    }

    private static String stateOf(String kid) {
        WebElement row = driver().findElement(By.xpath("//tr[td[normalize-space(.)='" + kid + "']]"));
        return row.findElement(By.cssSelector("td:nth-child(3)")).getText();
    }
}
