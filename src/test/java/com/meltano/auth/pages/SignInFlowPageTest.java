package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import com.meltano.auth.login.Browser;
import com.meltano.auth.pages.RelyingParty.App;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The login flow as a person meets it in Chromium (SPEC section 5): each authorization request is
 * its own flow bound to its tab, a correct password is never reported as wrong, an expired request
 * says so and leads back, and no sign-in page is an empty form naming no application.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SignInFlowPageTest extends PageTest {

    private static final Pattern WRONG_CREDENTIALS = Pattern.compile("(?i)(email or password|password is not right|wrong password"
            + "|incorrect|not right)");

    @Inject
    DataSource ds;

    @Test
    void twoTabsSigningInToTwoAppsThenEachTabEndsAtItsOwnApp() {
        Person person = Person.create("two-tabs");
        App a = rp.register("Tab App A", true);
        App b = rp.register("Tab App B", true);
        String stateA = newState();
        String stateB = newState();

        openSignInOf(a, stateA);
        String tab1 = driver().getWindowHandle();
        assertNamesApp(a);
        driver().switchTo().newWindow(WindowType.TAB);
        String tab2 = driver().getWindowHandle();
        openSignInOf(b, stateB);
        assertNamesApp(b);

        driver().switchTo().window(tab1);
        signInWith(person.email(), Browser.PASSWORD);
        Map<String, String> atA = arrivalAt(a);
        assertThat(atA).as("A gets a code and its own state").containsKey("code").containsEntry("state", stateA)
                .doesNotContainKey("error");

        driver().switchTo().window(tab2);
        assertThat(page()).as("tab 2 still shows B's sign-in page").contains(b.name());
        signInOrContinue(person);
        Map<String, String> atB = arrivalAt(b);
        assertThat(atB).as("B gets a code and its own state").containsKey("code").containsEntry("state", stateB)
                .doesNotContainKey("error");
        assertThat(atA.get("iss")).as("RFC 9207 iss on both answers").isNotBlank().isEqualTo(atB.get("iss"));
        assertThat(rp.arrivalsAt(a.redirectUri())).as("A was reached once").hasSize(1);
        assertThat(rp.arrivalsAt(b.redirectUri())).as("B was reached once").hasSize(1);
    }

    @Test
    void sameAppInTwoTabsThenTheOlderTabStillEndsAtTheAppWithItsOwnState() {
        Person person = Person.create("same-app-tabs");
        App app = rp.register("Same App", true);
        String older = newState();
        String newer = newState();

        openSignInOf(app, older);
        String tab1 = driver().getWindowHandle();
        driver().switchTo().newWindow(WindowType.TAB);
        openSignInOf(app, newer);
        signInWith(person.email(), Browser.PASSWORD);
        assertThat(arrivalAt(app)).containsKey("code").containsKey("iss").containsEntry("state", newer);

        driver().switchTo().window(tab1);
        assertNamesApp(app);
        signInOrContinue(person);
        assertThat(arrivalAt(app)).as("the older tab ends at the app with its own state").containsKey("code")
                .containsEntry("state", older).doesNotContainKey("error");
        assertThat(rp.arrivalsAt(app.redirectUri())).extracting(a -> a.query().get("state")).as("the app saw both requests end")
                .containsExactly(newer, older);
    }

    @Test
    void expiredRequestWithTheRightPasswordThenSignedInToldItExpiredAndLedBackToTheApp() {
        Person person = Person.create("expired-flow");
        App app = rp.register("Expiring App", true);
        String state = newState();
        openSignInOf(app, state);
        assertNamesApp(app);

        Database.count(ds, "with f as (update login_flow set expires_at = now() - interval '1 second'"
                + " where expires_at > now() - interval '1 second' returning 1) select count(*) from f");
        signInWith(person.email(), Browser.PASSWORD);

        String text = page();
        assertThat(text).as("a right password is never reported as wrong: %s", shown()).doesNotContainPattern(WRONG_CREDENTIALS);
        assertThat(text).as("says the request expired: %s", shown()).containsPattern("(?i)expired");
        assertNamesApp(app);
        WebElement back = linkBackTo(app);
        String expiredPage = driver().getWindowHandle();

        driver().switchTo().newWindow(WindowType.TAB);
        chromium.open("/account");
        assertThat(page()).as("the person is signed in: %s", shown()).contains(person.email());
        driver().close();
        driver().switchTo().window(expiredPage);

        press(back);
        if (hasField("password")) {
            throw new AssertionError("the way back asks for the password again: " + shown());
        }
        assertThat(arrivalAt(app)).as("the way back ends at the app with a code and the request's state")
                .containsKey("code").containsEntry("state", state);
    }

    @Test
    void backAfterSignInThenNeverAnEmptySignInFormNamingNoApp() {
        Person person = Person.create("back-after");
        App app = rp.register("Back App", true);
        openSignInOf(app, newState());
        signInWith(person.email(), Browser.PASSWORD);
        arrivalAt(app);

        driver().navigate().back();
        chromium.waiting().until(d -> !d.getCurrentUrl().startsWith(app.redirectUri()));
        chromium.waiting().until(d -> "complete".equals(chromium.script("return document.readyState")));

        assertNotAnAnonymousEmptyForm(person, app);
    }

    @Test
    void loginPageWhileSignedInThenShowsWhoIsSignedIn() {
        Person person = Person.create("login-signed-in");
        chromium.open("/login");
        signInWith(person.email(), Browser.PASSWORD);

        chromium.open("/login");

        assertThat(page()).as("/login while signed in says who is signed in: %s", shown()).contains(person.email());
    }

    // ------------------------------------------------------------------ helpers

    /** On a sign-in page: type the credentials; on a "continue" page (already signed in): press its button. */
    private static void signInOrContinue(Person person) {
        if (hasField("password")) {
            signInWith(person.email(), Browser.PASSWORD);
            return;
        }
        List<WebElement> buttons = driver().findElements(By.cssSelector("main form button, main form input[type=submit], main a"));
        assertThat(buttons).as("a way to continue: %s", shown()).isNotEmpty();
        press(buttons.get(0));
    }

    /** The link on the page that leads back to the application: one that names it, else one that says back/continue/return. */
    private static WebElement linkBackTo(App app) {
        List<WebElement> links = driver().findElements(By.cssSelector("a[href], form button"));
        for (WebElement l : links) {
            if (l.getText().contains(app.name())) {
                return l;
            }
        }
        for (WebElement l : links) {
            if (l.getText().matches("(?is).*\\b(back|continue|return|go to)\\b.*")) {
                return l;
            }
        }
        throw new AssertionError("no way back to " + app.name() + " on the page: " + shown());
    }

    private static void assertNotAnAnonymousEmptyForm(Person person, App app) {
        String text = page();
        boolean namesApp = text.contains(app.name());
        boolean showsSignedIn = text.contains(person.email());
        boolean emptySignInForm = hasField("password") && hasField("email") && field("email").getAttribute("value").isEmpty();
        assertThat(namesApp || showsSignedIn)
                .as("names the app or shows who is signed in (empty sign-in form: %s): %s", emptySignInForm, shown()).isTrue();
    }
}
