package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import com.meltano.auth.login.Browser;
import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.MailAndGitLab;
import com.meltano.auth.support.MailServer;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The users pages of the admin console with mail on (SPEC sections 11 and 12), in Chromium against
 * a real SMTP server: inviting a new user by mail, and sending the verification link again.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailAndGitLab.class)
class ConsoleUsersMailPageTest extends ConsolePageTest {

    private static final String ISSUER = "http://localhost:8080";
    private static final String CHOSEN_PASSWORD = "chosen by the invited user";

    @Test
    void adminInvitesByMailThenInvitationArrivesAndItsLinkLetsTheUserChooseAPasswordAndSignIn() {
        Person admin = newAdmin("console-invite");
        String email = Browser.uniqueEmail("console-invited");
        openAs(admin, "/admin/users");

        typeInto("Email", email);
        assertThat(labelled("Invite by mail").isSelected()).as("a password is the default").isFalse();
        assertThat(describedBy(labelled("Invite by mail"))).contains("7 days");
        labelled("Invite by mail").click();
        pressButton("Create user");

        assertThat(path()).as(shown()).startsWith("/admin/users/");
        assertThat(page()).contains("User " + email + " created and invited by mail to choose a password.");
        String id = path().substring("/admin/users/".length());
        Response user = Api.admin().get("/admin/api/users/" + id);
        assertThat(user.jsonPath().getBoolean("has_password")).isFalse();
        assertThat(user.jsonPath().getBoolean("email_verified")).isFalse();

        MailServer.Received mail = MailServer.nth(email, 1);
        assertThat(mail.subject()).isEqualTo("Your account is ready: choose your password");
        chromium.forgetEverything();
        chromium.open(path(mail.link(ISSUER + "/reset-password?token=")));
        assertThat(page()).as(shown()).contains(email);
        type("password", CHOSEN_PASSWORD);
        submitFormOf("password");
        assertThat(path()).as(shown()).isEqualTo("/reset-password?done=first");
        assertThat(page()).contains("Your password is set");

        Client client = Browser.webClient(true);
        assertThat(new Browser().signIn(client.id(), client.redirectUri(), "openid", email, CHOSEN_PASSWORD).code()).isNotBlank();
        assertThat(Api.admin().get("/admin/api/users/" + id).jsonPath().getBoolean("email_verified")).isTrue();
        List<Map<String, Object>> events = Api.admin().get("/admin/api/audit").jsonPath().getList("items");
        assertThat(events).as("the same audit event as the REST API's, the admin as actor").anySatisfy(e -> {
            assertThat(e.get("action")).isEqualTo("user.invited");
            assertThat(e.get("target")).isEqualTo(id);
            assertThat(e.get("actor")).isEqualTo(admin.id());
        });
    }

    @Test
    void inviteWhenPasswordTypedTooThenErrorNextToPasswordInvitationKeptAndNothingCreated() {
        Person admin = newAdmin("console-invite-both");
        String email = Browser.uniqueEmail("console-invite-both");
        openAs(admin, "/admin/users");

        typeInto("Email", email);
        typeInto("Password (optional)", CHOSEN_PASSWORD);
        labelled("Invite by mail").click();
        pressButton("Create user");

        assertThat(path()).isEqualTo("/admin/users");
        assertThat(invalid(labelled("Password (optional)"))).isTrue();
        assertThat(describedBy(labelled("Password (optional)"))).contains("Create a user").contains("inviting by mail");
        assertThat(labelled("Invite by mail").isSelected()).as("the choice is kept").isTrue();
        assertThat(labelled("Email").getDomProperty("value")).isEqualTo(email);
        assertThat(driver().getPageSource()).doesNotContain(CHOSEN_PASSWORD);
        assertThat(Browser.usersWithEmail(email)).isEmpty();
    }

    @Test
    void resendVerificationFromUserPageThenLinkVerifiesAndAStalePageIsToldItIsVerified() {
        Person admin = newAdmin("console-resend");
        Person target = Person.create("console-resend-target");
        openAs(admin, "/admin/users/" + target.id());

        pressButton("Resend verification email");
        assertThat(path()).isEqualTo("/admin/users/" + target.id());
        assertThat(page()).as(shown()).contains("A new verification link was mailed to " + target.email() + ".");

        String link = MailServer.nth(target.email(), 1).link(ISSUER + "/verify-email?token=");
        Browser owner = new Browser();
        Response linkPage = owner.get(path(link));
        assertThat(linkPage.statusCode()).as(linkPage.asString()).isEqualTo(200);
        Element form = Browser.html(linkPage).selectFirst("form[method=post]");
        Map<String, String> fields = new LinkedHashMap<>();
        form.select("input[name]").forEach(i -> fields.put(i.attr("name"), i.attr("value")));
        assertThat(owner.post(form.attr("action"), fields).statusCode()).isEqualTo(303);
        assertThat(Api.admin().get("/admin/api/users/" + target.id()).jsonPath().getBoolean("email_verified")).isTrue();

        // the console page was loaded before the owner verified: its button now meets a verified email
        pressButton("Resend verification email");
        assertThat(page()).as(shown()).contains("Resend verification email: the email is already verified.");
        assertThat(driver().findElements(By.xpath("//button[normalize-space(.)='Resend verification email']"))).isEmpty();

        chromium.open("/admin/users/" + target.id());
        assertThat(page()).doesNotContain("Email verification");
        List<Map<String, Object>> events = Api.admin().get("/admin/api/audit").jsonPath().getList("items");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("action")).isEqualTo("user.verification_sent");
            assertThat(e.get("target")).isEqualTo(target.id());
            assertThat(e.get("actor")).isEqualTo(admin.id());
        });
    }

    @Test
    void inviteAndResendWhenNarrowWindowAndKeyboardOnlyThenUsableWithoutSidewaysScroll() {
        Person admin = newAdmin("console-invite-keys");
        String email = Browser.uniqueEmail("console-invited-keys");
        openAs(admin, "/admin/users");
        driver().manage().window().setSize(new Dimension(390, 844));
        chromium.open("/admin/users");
        assertNoSidewaysScroll();

        labelled("Email").sendKeys(email);
        labelled("Password (optional)").click();
        driver().switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(driver().switchTo().activeElement().getAttribute("id")).as("Tab from the password reaches the invitation")
                .isEqualTo(labelled("Invite by mail").getAttribute("id"));
        driver().switchTo().activeElement().sendKeys(Keys.SPACE);
        assertThat(labelled("Invite by mail").isSelected()).isTrue();
        driver().switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(driver().switchTo().activeElement().getText()).isEqualTo("Create user");
        WebElement html = driver().findElement(By.tagName("html"));
        driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        chromium.waitForNewPage(html);

        assertThat(page()).as(shown()).contains("User " + email + " created and invited by mail to choose a password.");
        assertNoSidewaysScroll();
        assertThat(button("Resend verification email").isDisplayed()).as("an invited user has not verified the email yet").isTrue();
        assertThat(MailServer.nth(email, 1).subject()).isEqualTo("Your account is ready: choose your password");
    }

    private static void assertNoSidewaysScroll() {
        long inner = ((Number) chromium.script("return window.innerWidth")).longValue();
        long scroll = ((Number) chromium.script("return document.documentElement.scrollWidth")).longValue();
        assertThat(scroll).as("scrollWidth at %s", shown()).isLessThanOrEqualTo(inner);
    }

    /** A path and query on this server from an absolute link of a mail (built from the issuer). */
    private static String path(String link) {
        assertThat(link).as("links are built from the issuer").startsWith(ISSUER + "/");
        return link.substring(ISSUER.length());
    }
}
