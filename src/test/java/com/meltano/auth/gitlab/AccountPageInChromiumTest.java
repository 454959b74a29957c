package com.meltano.auth.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.meltano.auth.login.Browser;
import com.meltano.auth.pages.PageTest;
import com.meltano.auth.support.MailAndGitLab;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The account page in Chromium, with GitLab configured (the stand-in): password managers can tie
 * the new password to the account, an account without a password is not offered to "change" it,
 * and an error of the "Unlink GitLab" form shows next to that form (SPEC sections 5 and 5a).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailAndGitLab.class)
class AccountPageInChromiumTest extends PageTest {

    @Inject
    DataSource ds;

    @Test
    void newPasswordFormCarriesTheAccountsEmailAsUsernameForPasswordManagers() {
        Person person = Person.create("username-field");
        chromium.open("/login");
        signInWith(person.email(), Browser.PASSWORD);
        chromium.open("/account");

        WebElement form = formWith("new_password");
        List<WebElement> username = form.findElements(By.cssSelector("input[autocomplete=username]"));

        assertThat(username).as("an autocomplete=username field in the new-password form: %s", form.getDomProperty("outerHTML"))
                .isNotEmpty();
        assertThat(username.get(0).getDomProperty("value")).isEqualTo(person.email());
    }

    @Test
    void accountWithoutPasswordThenItsButtonDoesNotSayChangePassword() {
        String email = Browser.uniqueEmail("gitlab-only-page");
        GitLabStandIn.nextLogin("gl-" + UUID.randomUUID(), email, true, "nopassword", List.of());
        Browser http = new Browser();
        assertThat(GitLabRoundTrip.signIn(http).statusCode()).isEqualTo(303);
        useSession(http.cookie(Browser.SESSION));

        chromium.open("/account");

        assertThat(page()).as("signed in: %s", shown()).contains(email);
        WebElement submit = submitOf(formWith("new_password"));
        assertThat(submit.getText()).as("the button of the password form of an account without one")
                .doesNotContainIgnoringCase("change password");
    }

    @Test
    void unlinkGitLabWithAWrongPasswordThenTheErrorIsNextToTheUnlinkForm() {
        String email = Browser.uniqueEmail("unlink-page");
        Browser.createUser(email, Browser.PASSWORD);
        Browser http = new Browser();
        String csrf = http.csrfOf("/login");
        Response login = http.post("/login", Map.of("email", email, "password", Browser.PASSWORD, "csrf", csrf));
        assertThat(login.statusCode()).isEqualTo(303);
        String sub = "gl-" + UUID.randomUUID();
        GitLabStandIn.nextLogin(sub, Browser.uniqueEmail("unlink-page-gitlab"), true, "unlinker", List.of());
        link(http);
        assertThat(GitLabRoundTrip.linkedUser(ds, sub)).as("linked").isNotNull();
        useSession(http.cookie(Browser.SESSION));
        chromium.open("/account");

        WebElement unlink = formWithButton("Unlink GitLab");
        WebElement password = unlink.findElement(By.cssSelector("input[type=password]"));
        password.sendKeys("not-the-password");
        press(submitOf(unlink));

        unlink = formWithButton("Unlink GitLab");
        password = unlink.findElement(By.cssSelector("input[type=password]"));
        assertThat(invalid(password)).as("the unlink form's password is marked aria-invalid: %s", shown()).isTrue();
        String error = describedBy(password);
        assertThat(error).as("its error is next to it (aria-describedby)").isNotBlank();
        WebElement change = formWith("new_password");
        for (WebElement f : change.findElements(By.cssSelector("input:not([type=hidden])"))) {
            assertThat(invalid(f)).as("the password-change form is not marked: %s", f.getDomAttribute("name")).isFalse();
            assertThat(describedBy(f)).as("the error is not shown at the password-change form").doesNotContain(error);
        }
        assertThat(GitLabRoundTrip.linkedUser(ds, sub)).as("still linked").isNotNull();
    }

    // ------------------------------------------------------------------ helpers

    private static WebElement formWith(String fieldName) {
        List<WebElement> forms = driver().findElements(By.xpath("//form[.//input[@name='" + fieldName + "']]"));
        assertThat(forms).as("a form with %s: %s", fieldName, shown()).isNotEmpty();
        return forms.get(0);
    }

    private static WebElement formWithButton(String label) {
        List<WebElement> forms = driver().findElements(By.xpath("//form[.//button[normalize-space()='" + label + "']]"));
        assertThat(forms).as("a form with a \"%s\" button: %s", label, shown()).isNotEmpty();
        return forms.get(0);
    }

    private static WebElement submitOf(WebElement form) {
        return form.findElement(By.cssSelector("button[type=submit], input[type=submit], button:not([type])"));
    }

    /** Links GitLab from the account page over HTTP: the current password, the round trip through the stand-in. */
    private static void link(Browser http) {
        Map<String, String> form = new HashMap<>();
        form.put("csrf", http.csrfOf("/account"));
        form.put("current_password", Browser.PASSWORD);
        Response start = http.post("/account/gitlab/link", form);
        assertThat(start.statusCode()).as(start.asString()).isEqualTo(303);
        Response toGitLab = http.follow(start);
        assertThat(toGitLab.statusCode()).as(toGitLab.asString()).isEqualTo(302);
        Response atGitLab = GitLabRoundTrip.openAtGitLab(toGitLab.header("Location"));
        Response back = http.get(GitLabRoundTrip.pathAndQuery(atGitLab.header("Location")));
        assertThat(back.statusCode()).as(back.asString()).isEqualTo(303);
    }
}
