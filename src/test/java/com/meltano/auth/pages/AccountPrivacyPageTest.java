package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.interactions.Actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Self-service privacy on the account page in Chromium (SPEC sections 5 and 12): in a 390-pixel
 * window and with the keyboard alone, a person downloads their data as a file and deletes their
 * account, which signs the browser out; a mistyped email is shown next to its field.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AccountPrivacyPageTest extends PageTest {

    @Test
    void narrowWindowAndKeyboardOnlyThenDataDownloadedAndAccountDeletedAndBrowserSignedOut() throws IOException {
        // a Unicode address (RFC 6531), typed by the keyboard into the sign-in and the delete form's email fields
        String email = "jürgen-" + UUID.randomUUID().toString().substring(0, 8) + "@exämple.de";
        Person person = new Person(email, Browser.createUser(email, Browser.PASSWORD));
        driver().manage().window().setSize(new Dimension(390, 844));
        chromium.open("/login");
        signInWith(person.email(), Browser.PASSWORD);
        assertThat(driver().getCurrentUrl()).as(shown()).endsWith("/account");
        assertFits("account");
        Path downloads = Files.createTempDirectory("meltano-auth-downloads");
        ((HasCdp) driver()).executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", downloads.toAbsolutePath().toString()));

        tabUntil(e -> "/account/export".equals(e.getDomAttribute("href")));
        new Actions(driver()).sendKeys(Keys.ENTER).perform();

        Path file = chromium.waiting().until(d -> downloaded(downloads).orElse(null));
        String json = Files.readString(file, StandardCharsets.UTF_8);
        JsonNode data = new ObjectMapper().readTree(json);
        assertThat(data.path("user").path("email").asText()).isEqualTo(person.email());
        assertThat(data.path("user").path("roles").toString()).contains("regular");
        assertThat(json).doesNotContain("$argon2").doesNotContain(Browser.PASSWORD);
        assertThat(driver().getCurrentUrl()).as("the download leaves the page where it is").endsWith("/account");

        tabUntil(e -> "delete_password".equals(e.getDomAttribute("id")));
        new Actions(driver()).sendKeys(Browser.PASSWORD).perform();
        new Actions(driver()).sendKeys(Keys.TAB).perform();
        assertThat(driver().switchTo().activeElement().getDomAttribute("id")).as("Tab goes on to the email to type")
                .isEqualTo("delete_email");
        WebElement html = driver().findElement(By.tagName("html"));
        new Actions(driver()).sendKeys(person.email() + Keys.ENTER).perform();
        chromium.waitForNewPage(html);

        assertThat(driver().getCurrentUrl()).as(shown()).endsWith("/account/deleted");
        assertThat(page()).contains("deleted");
        assertThat(driver().findElements(By.cssSelector("a[href='/login']"))).as("a link to sign in: %s", shown()).isNotEmpty();
        assertFits("deleted");
        assertThat(driver().manage().getCookieNamed(Browser.SESSION)).as("the session cookie is gone").isNull();
        assertThat(Api.admin().get("/admin/api/users/" + person.id()).statusCode()).isEqualTo(404);
        chromium.open("/account");
        assertThat(driver().getCurrentUrl()).as("signed out: %s", shown()).doesNotEndWith("/account");
    }

    @Test
    void deleteWithMistypedEmailThenErrorNextToTheEmailNamesTheFormAndNothingDeleted() {
        Person person = Person.create("privacy-mistyped");
        chromium.open("/login");
        signInWith(person.email(), Browser.PASSWORD);

        driver().findElement(By.id("delete_password")).sendKeys(Browser.PASSWORD);
        driver().findElement(By.id("delete_email")).sendKeys("x" + person.email());
        press(driver().findElement(By.xpath("//form[@action='/account/delete']//button[@type='submit']")));

        WebElement email = driver().findElement(By.id("delete_email"));
        assertThat(chromium.script("var r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight",
                email)).as("the page opens at the delete form, its error in view").isEqualTo(true);
        assertThat(invalid(email)).as("the typed email is marked aria-invalid: %s", shown()).isTrue();
        assertThat(describedBy(email)).startsWith("Delete account:").contains("nothing was deleted");
        WebElement password = driver().findElement(By.id("delete_password"));
        assertThat(invalid(password)).isFalse();
        assertThat(password.getDomProperty("value")).as("the password is not typed back").isEmpty();
        for (WebElement f : driver().findElements(By.cssSelector("form[action='/account/password'] input:not([type=hidden])"))) {
            assertThat(invalid(f)).as("the password-change form is not marked").isFalse();
        }
        assertThat(Api.admin().get("/admin/api/users/" + person.id()).statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ helpers

    /** A finished download in the folder (Chromium writes {@code .crdownload} until it is complete). */
    private static Optional<Path> downloaded(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Presses Tab until the focused element matches; fails when it never does. */
    private static void tabUntil(Predicate<WebElement> target) {
        List<String> passed = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            new Actions(driver()).sendKeys(Keys.TAB).perform();
            WebElement active = driver().switchTo().activeElement();
            if (target.test(active)) {
                return;
            }
            passed.add(active.getTagName() + "#" + active.getDomAttribute("id"));
        }
        throw new AssertionError("Tab never reached the element; focus went through " + passed + ": " + shown());
    }

    private static void assertFits(String name) {
        long innerWidth = ((Number) chromium.script("return window.innerWidth")).longValue();
        long scrollWidth = ((Number) chromium.script("return document.documentElement.scrollWidth")).longValue();
        assertThat(scrollWidth).as("scrollWidth of the %s page at %d px", name, innerWidth).isLessThanOrEqualTo(innerWidth);
    }
}
