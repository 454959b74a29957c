package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import com.meltano.auth.login.Browser;
import com.meltano.auth.pages.RelyingParty.App;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The sign-in and registration forms as a person fills them in Chromium (SPEC section 5): the
 * typed email survives a failed attempt, each error sits next to its field ({@code aria-invalid},
 * {@code aria-describedby}) and names its form, password fields never cut what the policy
 * accepts, an email the server accepts can be typed into the field, and the keyboard alone signs in.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class FormsPageTest extends PageTest {

    private static final String SIGN_IN_FORM = "(?is).*sign[ -]?in.*";
    private static final String REGISTRATION_FORM = "(?is).*(regist|creat|sign[ -]?up|new account).*";

    @Test
    void wrongPasswordThenTypedEmailKeptAndErrorNextToTheFieldNamingTheSignInForm() {
        Person person = Person.create("wrong-password");
        App app = rp.register("Forms App", true);
        openSignInOf(app, newState());

        signInWith(person.email(), "not-the-right-password");

        assertThat(field("email").getDomProperty("value")).as("the typed email stays: %s", shown()).isEqualTo(person.email());
        assertErrorsAtFields(List.of("email", "password"), SIGN_IN_FORM);
    }

    @Test
    void registrationWithAnEmailTheServerRefusesThenEmailKeptAndErrorAtTheEmailField() {
        // longer than 254 characters, but valid to an HTML email field; cut at 254 it ends in "@" and is still refused
        String email = "x".repeat(253) + "@example.de";
        chromium.open("/register");
        type("email", email);
        type("password", Browser.PASSWORD);

        boolean sent = trySubmitFormOf("password");

        if (!sent) {
            assertThat(validationMessage("email")).as("the browser says what is wrong with the email").isNotBlank();
            return;
        }
        assertThat(field("email").getDomProperty("value")).as("the typed email stays: %s", shown()).isEqualTo(email);
        assertErrorsAtFields(List.of("email"), REGISTRATION_FORM);
        assertThat(invalid(field("password"))).as("the password is not what was wrong").isFalse();
    }

    @Test
    void registrationWithAShortPasswordThenToldAtThePasswordFieldAndNoAccount() {
        String email = Browser.uniqueEmail("short-password");
        chromium.open("/register");
        type("email", email);
        type("password", "short7!");

        boolean sent = trySubmitFormOf("password");

        if (sent) {
            assertThat(field("email").getDomProperty("value")).as("the typed email stays: %s", shown()).isEqualTo(email);
            assertErrorsAtFields(List.of("password"), REGISTRATION_FORM);
        } else {
            assertThat(validationMessage("password")).as("the browser says the password is too short").isNotBlank();
        }
        assertThat(Browser.usersWithEmail(email)).as("no account").isEmpty();
    }

    @Test
    void pasted140CharacterPasswordThenKeptWholeRefusedAtThePasswordFieldAndNoAccount() {
        String email = Browser.uniqueEmail("long-password");
        String password = ("a-very-long-pass-phrase-" + UUID.randomUUID() + "-").repeat(3).substring(0, 140);
        chromium.open("/register");
        type("email", email);
        WebElement passwordField = field("password");
        assertThat(passwordField.getDomAttribute("maxlength")).as("no maxlength silently cuts a password").isNull();

        type("password", password);
        assertThat(field("password").getDomProperty("value")).as("the field keeps all 140 characters").hasSize(140);
        submitFormOf("password");

        assertThat(field("email").getDomProperty("value")).as("the typed email stays: %s", shown()).isEqualTo(email);
        assertErrorsAtFields(List.of("password"), REGISTRATION_FORM);
        assertThat(Browser.usersWithEmail(email)).as("no account from a refused password").isEmpty();
    }

    @Test
    void unicodeEmailThenRegistersAndSignsInThroughTheFormsAndTheAccountPageShowsIt() {
        String email = "jürgen-" + UUID.randomUUID().toString().substring(0, 8) + "@exämple.de";
        App app = rp.register("Unicode App", true);
        String state = newState();
        openSignInOf(app, state);
        press(driver().findElement(By.cssSelector("a[href*='/register']")));
        type("email", email);
        type("password", Browser.PASSWORD);
        assertThat(trySubmitFormOf("password")).as(() -> "the registration form sends " + email + " (browser: "
                + validationMessage("email") + ")").isTrue();
        assertThat(arrivalAt(app)).as("registered and back at the app").containsKey("code").containsEntry("state", state);

        chromium.forgetEverything();
        String again = newState();
        openSignInOf(app, again);
        type("email", email);
        type("password", Browser.PASSWORD);
        assertThat(trySubmitFormOf("password")).as(() -> "the sign-in form sends " + email + " (browser: "
                + validationMessage("email") + ")").isTrue();
        assertThat(arrivalAt(app)).as("signed in with the unicode email").containsKey("code").containsEntry("state", again);

        chromium.open("/account");
        String domainAscii = IDN.toASCII("exämple.de");
        assertThat(page()).as("the account page shows the email: %s", shown())
                .containsAnyOf(email, email.replace("exämple.de", domainAscii));
    }

    @Test
    void keyboardOnlyThenTabReachesEmailPasswordAndButtonInOrderAndEnterSignsIn() {
        Person person = Person.create("keyboard");
        App app = rp.register("Keyboard App", true);
        String state = newState();
        openSignInOf(app, state);
        WebElement email = field("email");
        WebElement password = field("password");
        WebElement submit = password.findElement(By.xpath("./ancestor::form"))
                .findElement(By.cssSelector("button[type=submit], input[type=submit], button:not([type])"));

        List<String> beforeEmail = tabUntil(e -> e.equals(email));
        assertThat(beforeEmail).as("Tab reaches the email field first").doesNotContain("password", "submit");
        keys(person.email());
        List<String> beforePassword = tabUntil(e -> e.equals(password));
        assertThat(beforePassword).as("then the password field").doesNotContain("submit");
        keys(Browser.PASSWORD);
        tabUntil(e -> e.equals(submit));
        new Actions(driver()).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
        assertThat(driver().switchTo().activeElement()).as("Shift+Tab goes back to the password").isEqualTo(password);

        new Actions(driver()).sendKeys(Keys.ENTER).perform();

        assertThat(arrivalAt(app)).as("Enter in the password field signs in").containsKey("code").containsEntry("state", state);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Among these fields, those the page marks {@code aria-invalid="true"} (at least one) each point
     * with {@code aria-describedby} at an element holding the error text, which names the form.
     */
    private static void assertErrorsAtFields(List<String> concerned, String formPattern) {
        List<String> marked = new ArrayList<>();
        for (String name : concerned) {
            WebElement f = field(name);
            if (invalid(f)) {
                marked.add(name);
                String error = describedBy(f);
                assertThat(error).as("the error of %s is next to it (aria-describedby): %s", name, shown()).isNotBlank();
                assertThat(error).as("the error of %s names its form", name).matches(formPattern);
            }
        }
        assertThat(marked).as("fields marked aria-invalid=\"true\" among %s: %s", concerned, shown()).isNotEmpty();
    }

    /** Presses Tab until the focused element matches; returns what was focused on the way ("email", "password", "submit"...). */
    private static List<String> tabUntil(Predicate<WebElement> target) {
        List<String> passed = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            new Actions(driver()).sendKeys(Keys.TAB).perform();
            WebElement active = driver().switchTo().activeElement();
            if (target.test(active)) {
                return passed;
            }
            passed.add(label(active));
        }
        throw new AssertionError("Tab never reached the element; focus went through " + passed);
    }

    private static String label(WebElement e) {
        String name = e.getDomAttribute("name");
        if ("email".equals(name) || "password".equals(name)) {
            return name;
        }
        if ("submit".equals(e.getDomProperty("type"))) {
            return "submit";
        }
        return e.getTagName() + (name == null ? "" : "[" + name + "]") + " " + e.getText();
    }

    private static void keys(String text) {
        new Actions(driver()).sendKeys(text).perform();
    }

}
