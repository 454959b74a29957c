package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.meltano.auth.login.Browser;
import com.meltano.auth.pages.RelyingParty.App;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The consent page and signing out, in Chromium, and the status of every form POST of the pages
 * (SPEC section 5: every POST answers 303, so a reload never posts again).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ConsentAndSignOutPageTest extends PageTest {

    @Test
    void consentPageNamesTheAppAndTheSignedInAccountThenDenyEndsWithAccessDenied() {
        Person person = Person.create("consent-deny");
        App app = rp.register("Third-party App", false);
        String state = newState();
        openSignInOf(app, state);
        signInWith(person.email(), Browser.PASSWORD);

        WebElement deny = decision("deny");
        SoftAssertions page = new SoftAssertions();
        page.assertThat(page()).as("the consent page names the app by its name: %s", shown()).contains(app.name());
        page.assertThat(page()).as("never by its client_id").doesNotContain(app.clientId());
        page.assertThat(page()).as("says which account is signed in").contains(person.email());
        press(deny);
        page.assertThat(arrivalAt(app)).as("Deny ends at the app with access_denied and the state")
                .containsEntry("error", "access_denied").containsEntry("state", state).doesNotContainKey("code");
        page.assertAll();
    }

    @Test
    void consentThenAllowEndsAtTheAppWithACode() {
        Person person = Person.create("consent-allow");
        App app = rp.register("Third-party App", false);
        String state = newState();
        openSignInOf(app, state);
        signInWith(person.email(), Browser.PASSWORD);

        press(decision("allow"));

        assertThat(arrivalAt(app)).containsKey("code").containsEntry("state", state).doesNotContainKey("error");
    }

    @Test
    void signOutFromTheAccountPageThenASignedOutPageAndSignedOut() {
        Person person = Person.create("sign-out");
        chromium.open("/login");
        signInWith(person.email(), Browser.PASSWORD);
        chromium.open("/account");
        assertThat(page()).contains(person.email());

        press(button("Sign out"));

        assertThat(driver().getCurrentUrl()).as("left the account page").doesNotContain("/account");
        assertThat(page()).as("a signed-out page: %s", shown()).containsPattern("(?i)signed out");
        assertReachedByRedirect();
        chromium.open("/account");
        assertThat(page()).as("no longer signed in: %s", shown()).doesNotContain(person.email());
    }

    @Test
    void signOutConfirmationAskedByAnAppNamesItByItsNameThenSignsOut() {
        Person person = Person.create("logout-confirm");
        App app = rp.register("Leaving App", true);
        chromium.open("/login");
        signInWith(person.email(), Browser.PASSWORD);

        chromium.open("/logout?client_id=" + app.clientId());

        SoftAssertions page = new SoftAssertions();
        page.assertThat(page()).as("the confirmation names the app by its name: %s", shown()).contains(app.name());
        page.assertThat(page()).as("never by its client_id").doesNotContain(app.clientId());
        press(button("Sign out"));
        page.assertThat(page()).as("signed out: %s", shown()).containsPattern("(?i)signed out");
        page.assertThat(redirects()).as("the signed-out page came by a 303 after the POST, so a reload does not post again")
                .isGreaterThanOrEqualTo(1);
        page.assertAll();
    }

    @Test
    void everyFormPostOfThePagesAnswers303() {
        Person person = Person.create("post-sweep");
        App thirdParty = rp.register("Sweep App", false);
        Map<String, Integer> status = new LinkedHashMap<>();

        Browser b = new Browser();
        Response login = HttpForms.settle(b, b.get("/login"));
        status.put("POST /login (wrong password)", HttpForms.post(b, login, "/login",
                Map.of("email", person.email(), "password", "not-the-password")).statusCode());
        login = HttpForms.settle(b, b.get("/login"));
        status.put("POST /login", HttpForms.post(b, login, "/login",
                Map.of("email", person.email(), "password", Browser.PASSWORD)).statusCode());

        Browser r = new Browser();
        Response register = HttpForms.settle(r, r.get("/register"));
        status.put("POST /register (short password)", HttpForms.post(r, register, "/register",
                Map.of("email", Browser.uniqueEmail("sweep-refused"), "password", "short")).statusCode());
        register = HttpForms.settle(r, r.get("/register"));
        status.put("POST /register", HttpForms.post(r, register, "/register",
                Map.of("email", Browser.uniqueEmail("sweep-new"), "password", Browser.PASSWORD)).statusCode());

        for (String decision : List.of("deny", "allow")) {
            Response consent = HttpForms.settle(b, b.authorize(Browser.authorizeParams(thirdParty.clientId(),
                    thirdParty.redirectUri(), "openid email", newState(), Browser.newVerifier())));
            status.put("POST consent " + decision, HttpForms.post(b, consent, consentAction(consent),
                    Map.of("decision", decision)).statusCode());
        }

        Response account = b.get("/account");
        assertThat(account.statusCode()).as(account.asString()).isEqualTo(200);
        status.put("POST /account/password (wrong current)", HttpForms.post(b, account, "/account/password",
                Map.of("current_password", "not-the-password", "new_password", "another-good-passphrase")).statusCode());
        account = b.get("/account");
        status.put("POST /logout", HttpForms.post(b, account, "/logout", Map.of("confirm", "yes")).statusCode());

        assertThat(status).as("every POST answers 303 See Other").allSatisfy((post, code) -> assertThat(code).as(post).isEqualTo(303));
    }

    // ------------------------------------------------------------------ helpers

    /** The redirects the browser followed to reach the current page (a POST answered 303 counts one). */
    private static long redirects() {
        Object n = chromium.script("return performance.getEntriesByType('navigation')[0].redirectCount");
        return ((Number) n).longValue();
    }

    private static void assertReachedByRedirect() {
        assertThat(redirects()).as("the signed-out page came by a 303 after the POST, so a reload does not post again")
                .isGreaterThanOrEqualTo(1);
    }

    private static WebElement decision(String value) {
        List<WebElement> buttons = driver().findElements(By.cssSelector("button[name=decision][value=" + value + "]"));
        assertThat(buttons).as("a consent page with a %s button: %s", value, shown()).isNotEmpty();
        return buttons.get(0);
    }

    private static WebElement button(String label) {
        return driver().findElements(By.cssSelector("button, input[type=submit]")).stream()
                .filter(e -> e.getText().trim().equalsIgnoreCase(label) || label.equalsIgnoreCase(e.getDomProperty("value")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no \"" + label + "\" button: " + shown()));
    }

    /** The action path of the form holding the consent decision buttons. */
    private static String consentAction(Response page) {
        var form = Browser.html(page).selectFirst("form:has(button[name=decision])");
        assertThat(form).as("a consent page: %s", page.asString()).isNotNull();
        return form.attr("action").split("\\?", 2)[0];
    }
}
