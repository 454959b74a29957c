package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import com.meltano.auth.login.Browser;
import com.meltano.auth.pages.RelyingParty.App;
import com.meltano.auth.support.MailAndGitLab;
import com.meltano.auth.support.MailServer;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The pages of SPEC section 12 in Chromium, as a person uses them with mail on (a real SMTP
 * server): registration ends on "check your mail" and the mailed link, pressed with the keyboard,
 * signs the person in at the application; "Forgot password?" leads through the mail to a new
 * password that signs in; the account page changes the email through a link to the new address.
 * Each page fits a 390-pixel-wide window, and going back to a used link's page says the link
 * cannot be used (a 400 page, never a 5xx).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailAndGitLab.class)
class MailPagesPageTest extends PageTest {

    private static final Dimension NARROW = new Dimension(390, 844);
    private static final String NEW_PASSWORD = "a-fresh-passphrase-for-mail";

    @Test
    void registerWithMailOnThenCheckMailThenMailedLinkPressedWithKeyboardSignsInAtTheApplication() {
        App app = rp.register("Mail Notes", true);
        String state = newState();
        String email = Browser.uniqueEmail("page-register");
        driver().manage().window().setSize(NARROW);

        openSignInOf(app, state);
        assertFits("login");
        press(driver().findElement(By.linkText("Create an account")));
        assertFits("register");
        type("email", email);
        type("password", Browser.PASSWORD);
        submitFormOf("password");

        assertThat(page()).as(shown()).contains("Check your mail");
        assertNamesApp(app);
        assertThat(driver().manage().getCookieNamed(Browser.SESSION)).as("not signed in before the link").isNull();
        assertFits("check your mail");

        chromium.open(ourPath(MailServer.nth(email, 1).link("http://localhost:8080/verify-email?token=")));
        assertThat(page()).as(shown()).contains("Verify your email address");
        assertFits("verify link");
        pressWithKeyboard(driver().findElement(By.cssSelector("form[action='/verify-email'] button[type=submit]")));

        Map<String, String> arrival = arrivalAt(app);
        assertThat(arrival).containsKey("code");
        assertThat(arrival.get("state")).isEqualTo(state);
        assertThat(Browser.usersWithEmail(email).get(0).get("email_verified")).isEqualTo(true);

        driver().navigate().back();
        chromium.waiting().until(d -> "complete".equals(chromium.script("return document.readyState"))
                && d.getCurrentUrl().contains("/verify-email"));
        assertThat(page()).as("back at a used link: %s", shown()).contains("This link cannot be used");
        assertThat(navigationStatus()).as("a plain 400 page, never a 5xx").isEqualTo(400);
        assertFits("used link");
    }

    @Test
    void forgotPasswordThenMailedLinkSetsANewPasswordThatSignsInAtTheApplication() {
        Person person = Person.create("page-forgot");
        App app = rp.register("Mail Reports", true);
        driver().manage().window().setSize(NARROW);

        openSignInOf(app, newState());
        press(driver().findElement(By.linkText("Forgot password?")));
        assertFits("forgot password");
        type("email", person.email());
        submitFormOf("email");
        assertThat(page()).as(shown()).contains("a link to choose a new password is on its way");
        assertFits("forgot password sent");

        String link = MailServer.nth(person.email(), 1).link("http://localhost:8080/reset-password?token=");
        chromium.open(ourPath(link));
        assertThat(page()).as(shown()).contains(person.email());
        assertFits("reset password");
        type("password", NEW_PASSWORD);
        pressWithKeyboard(field("password").findElement(By.xpath("./ancestor::form//button[@type='submit']")));
        assertThat(page()).as(shown()).contains("Password set");
        assertFits("password set");

        String state = newState();
        openSignInOf(app, state);
        signInWith(person.email(), NEW_PASSWORD);
        assertThat(arrivalAt(app).get("state")).isEqualTo(state);

        chromium.open(ourPath(link));
        assertThat(page()).as("the used reset link: %s", shown()).contains("This link cannot be used");
        assertThat(navigationStatus()).isEqualTo(400);
    }

    @Test
    void changeEmailOnNarrowAccountPageThenLinkToTheNewAddressChangesItAndOldAddressIsTold() {
        Person person = Person.create("page-change");
        String next = Browser.uniqueEmail("page-changed");
        driver().manage().window().setSize(NARROW);
        chromium.open("/login");
        signInWith(person.email(), Browser.PASSWORD);
        assertThat(driver().getCurrentUrl()).as(shown()).endsWith("/account");
        assertThat(driver().findElement(By.id("email-status")).getText()).contains("not verified");
        assertThat(driver().findElements(By.cssSelector("form[action='/verify-email/resend'] button"))).isNotEmpty();
        assertFits("account");

        type("new_email", next);
        driver().findElement(By.id("email_password")).sendKeys(Browser.PASSWORD);
        submitFormOf("new_email");
        WebElement message = driver().findElement(By.id("email-message"));
        assertThat(message.getText()).startsWith("Change email:");
        assertThat(chromium.script("var r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight",
                message)).as("the answer is in view").isEqualTo(true);
        chromium.screenshot(getClass().getSimpleName() + ".changeEmailAnswer");
        assertFits("account after change request");

        chromium.open(ourPath(MailServer.nth(next, 1).link("http://localhost:8080/confirm-email?token=")));
        assertThat(page()).as(shown()).contains(next);
        assertFits("confirm email");
        pressWithKeyboard(driver().findElement(By.cssSelector("form[action='/confirm-email'] button[type=submit]")));
        assertThat(page()).as(shown()).contains("Email address changed");
        assertFits("email changed");

        press(driver().findElement(By.linkText("Your account")));
        assertThat(driver().findElement(By.id("email-status")).getText()).contains(next).contains("It is verified");
        assertThat(MailServer.nth(person.email(), 1).subject()).isEqualTo("Your email address was changed");
    }

    // ------------------------------------------------------------------ helpers

    /** Tabs from the top of the page to {@code button} and presses Enter, as a keyboard user does; waits for the next page. */
    private static void pressWithKeyboard(WebElement button) {
        chromium.script("document.activeElement && document.activeElement.blur()");
        List<String> passed = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            new Actions(driver()).sendKeys(Keys.TAB).perform();
            WebElement active = driver().switchTo().activeElement();
            if (active.equals(button)) {
                WebElement html = driver().findElement(By.tagName("html"));
                new Actions(driver()).sendKeys(Keys.ENTER).perform();
                chromium.waitForNewPage(html);
                return;
            }
            passed.add(active.getTagName() + "#" + active.getDomAttribute("id"));
        }
        throw new AssertionError("Tab never reached the button; focus went through " + passed + ": " + shown());
    }

    /** The HTTP status of the page the browser shows (Navigation Timing). */
    private static long navigationStatus() {
        return ((Number) chromium.script("return performance.getEntriesByType('navigation')[0].responseStatus")).longValue();
    }

    private static void assertFits(String name) {
        long innerWidth = ((Number) chromium.script("return window.innerWidth")).longValue();
        long scrollWidth = ((Number) chromium.script("return document.documentElement.scrollWidth")).longValue();
        assertThat(scrollWidth).as("scrollWidth of the %s page at %d px", name, innerWidth).isLessThanOrEqualTo(innerWidth);
    }

    /** A mail's link, on the server under test (mail links are built from the issuer). */
    private static String ourPath(String link) {
        assertThat(link).startsWith("http://localhost:8080/");
        return link.substring("http://localhost:8080".length());
    }
}
