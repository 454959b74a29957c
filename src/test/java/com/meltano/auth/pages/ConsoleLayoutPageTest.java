package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every console page at a 390-pixel-wide window and on a desktop (SPEC section 11): no sideways
 * scroll of the page (wide tables scroll inside their own box), one h1, every input labelled.
 * With {@code -Dscreenshots.dir=<dir>} it also saves each page at both widths there (how
 * {@code docs/screenshots/} is made).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ConsoleLayoutPageTest extends ConsolePageTest {

    private static final Dimension NARROW = new Dimension(390, 844);
    private static final Dimension DESKTOP = new Dimension(1280, 900);

    @Test
    void consolePagesWhenNarrowOrWideThenNoSidewaysScrollOneHeadingAndEveryInputLabelled() throws IOException {
        Map<String, String> pages = seededPages();
        SoftAssertions soft = new SoftAssertions();
        Path screenshots = System.getProperty("screenshots.dir") == null ? null : Path.of(System.getProperty("screenshots.dir"));
        for (Dimension size : List.of(DESKTOP, NARROW)) {
            driver().manage().window().setSize(size);
            for (Map.Entry<String, String> page : pages.entrySet()) {
                chromium.open(page.getValue());
                String where = page.getKey() + " at " + size.width + " px (" + driver().getCurrentUrl() + ")";
                soft.assertThat(driver().findElements(By.tagName("h1"))).as("one h1 on %s", where).hasSize(1);
                long inner = ((Number) chromium.script("return window.innerWidth")).longValue();
                long scroll = ((Number) chromium.script("return document.documentElement.scrollWidth")).longValue();
                soft.assertThat(scroll).as("scrollWidth of %s", where).isLessThanOrEqualTo(inner);
                Object unlabelled = chromium.script("return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))"
                        + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.hidden)"
                        + ".map(e => e.name).join(',')");
                soft.assertThat(unlabelled).as("inputs without a label on %s", where).isEqualTo("");
                if (screenshots != null) {
                    save(screenshots, page.getKey() + (size.width < 500 ? "-390px" : "-desktop"));
                }
            }
        }
        soft.assertAll();
    }

    /** An admin signed in, a role with a permission, a user holding it, a client: every page has something to show. */
    private static Map<String, String> seededPages() {
        String role = "finance-viewer-" + UUID.randomUUID().toString().substring(0, 6);
        Api.admin().body(Map.of("name", role, "description", "Sees the finance dashboards")).post("/admin/api/roles").then().statusCode(201);
        Api.admin().body(Map.of("type", "view:design", "context", "finance.*")).post("/admin/api/roles/" + role + "/permissions")
                .then().statusCode(201);
        Person analyst = Person.create("analyst");
        setRoles(analyst, List.of("regular", role));
        String client = Api.createServiceClient(List.of(role), false).get("client_id");
        Person admin = newAdmin("admin");
        openAs(admin, "/admin");
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("overview", "/admin");
        pages.put("users", "/admin/users");
        pages.put("user", "/admin/users/" + analyst.id());
        pages.put("roles", "/admin/roles");
        pages.put("role", "/admin/roles/" + role);
        pages.put("clients", "/admin/clients");
        pages.put("client", "/admin/clients/" + client);
        pages.put("keys", "/admin/keys");
        pages.put("audit", "/admin/audit");
        pages.put("who-can", "/admin/access?type=view:design&resource=finance.month_over_month&subject=" + analyst.email());
        return pages;
    }

    private static void save(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path shot = chromium.driver() instanceof org.openqa.selenium.TakesScreenshot t ? t.getScreenshotAs(OutputType.FILE).toPath() : null;
        if (shot != null) {
            Files.copy(shot, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(shot);
        }
    }
}
