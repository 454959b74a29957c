package com.meltano.auth.admin;

import static com.meltano.auth.admin.AdminFixtures.GOOD_PASSWORD;
import static com.meltano.auth.admin.AdminFixtures.as;
import static com.meltano.auth.admin.AdminFixtures.assertAdminError;
import static com.meltano.auth.admin.AdminFixtures.createUser;
import static com.meltano.auth.admin.AdminFixtures.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.MailAndGitLab;
import com.meltano.auth.support.MailServer;
import com.meltano.auth.support.PostgresTestResource;
import com.meltano.auth.support.TestData;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The admin API's mail (SPEC sections 9 and 12) against a real SMTP server: a user invited by
 * mail chooses the password through the mailed link, and an admin sends the verification link
 * again.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailAndGitLab.class)
class AdminUsersMailTest {

    private static final String ISSUER = "http://localhost:8080";

    String admin;

    @BeforeEach
    void adminToken() {
        admin = Api.adminToken();
    }

    // ---- POST /admin/api/users with "invite": true

    @Test
    void inviteWhenLinkFollowedThenInvitedUserSetsPasswordSignsInAndEmailIsVerified() {
        String email = uniqueEmail("invited");

        Response created = as(admin).body(Map.of("email", email, "invite", true, "roles", List.of("regular")))
                .post("/admin/api/users");

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        String id = created.path("id");
        assertThat(created.jsonPath().getString("email")).isEqualTo(email);
        assertThat(created.jsonPath().getBoolean("email_verified")).isFalse();
        assertThat(created.jsonPath().getBoolean("has_password")).as("the user chooses it").isFalse();
        assertThat(created.asString()).doesNotContain("token");

        MailServer.Received mail = MailServer.nth(email, 1);
        assertThat(mail.subject()).isEqualTo("Your account is ready: choose your password");
        assertThat(mail.text()).contains("7 days");
        String link = mail.link(ISSUER + "/reset-password?token=");

        Browser browser = new Browser();
        Response page = browser.get(path(link));
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
        assertThat(page.asString()).contains(email).contains("Choose your password")
                .as("a new account has no session to sign out").doesNotContain("signed out");
        Response done = postFormOf(browser, page, Map.of("password", GOOD_PASSWORD));
        assertThat(Browser.ourPath(done.header("Location"))).isEqualTo("/reset-password?done=first");
        assertThat(Browser.html(browser.follow(done)).text()).contains("Your password is set")
                .doesNotContain("signed out");
        assertThat(Browser.html(new Browser().follow(done)).text()).as("the same URL in a browser that set nothing")
                .doesNotContain("Your password is set");

        Client client = Browser.webClient(true);
        Browser.SignIn signIn = new Browser().signIn(client.id(), client.redirectUri(), "openid", email, GOOD_PASSWORD);
        assertThat(Browser.exchange(client, signIn).accessToken()).isNotBlank();
        Response user = as(admin).get("/admin/api/users/" + id);
        assertThat(user.jsonPath().getBoolean("email_verified")).as("following the link proved the address").isTrue();
        assertThat(user.jsonPath().getBoolean("has_password")).isTrue();

        assertThat(events()).as("the invitation is audited with the admin client as actor").anySatisfy(e -> {
            assertThat(e.get("action")).isEqualTo("user.invited");
            assertThat(e.get("target")).isEqualTo(id);
            assertThat(e.get("actor")).isEqualTo(TestData.ADMIN_CLIENT_ID);
        });
        assertThat(Browser.ourPath(new Browser().get(path(link)).header("Location"))).as("single use")
                .isEqualTo("/reset-password?error=used");
    }

    @Test
    void inviteWhenPasswordGivenTooThenRefusedNamingPasswordAndNoUserCreated() {
        String email = uniqueEmail("invite-and-password");

        Response r = as(admin).body(Map.of("email", email, "invite", true, "password", GOOD_PASSWORD)).post("/admin/api/users");

        assertAdminError(r, 400, "password");
        assertThat(r.asString()).doesNotContain(GOOD_PASSWORD);
        assertThat(Browser.usersWithEmail(email)).as("nothing written").isEmpty();
    }

    @Test
    void inviteWhenEmailTakenThenConflictAndTheOwnerGetsNoInvitation() {
        String email = uniqueEmail("invite-taken");
        String id = createUser(admin, email, GOOD_PASSWORD, null);

        Response r = as(admin).body(Map.of("email", email.toUpperCase(java.util.Locale.ROOT), "invite", true))
                .post("/admin/api/users");

        assertAdminError(r, 409, "email");
        assertThat(events()).noneSatisfy(e -> assertThat(List.of(e.get("action"), e.get("target")))
                .isEqualTo(List.of("user.invited", id)));
    }

    @Test
    void inviteWhenFalseThenAnOrdinaryCreationWithThePassword() {
        String email = uniqueEmail("invite-false");

        Response r = as(admin).body(Map.of("email", email, "invite", false, "password", GOOD_PASSWORD)).post("/admin/api/users");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getBoolean("has_password")).isTrue();
    }

    // ---- POST /admin/api/users/{id}/verification

    @Test
    void resendVerificationWhenUnverifiedThenAcceptedMailArrivesAndItsLinkVerifies() {
        String email = uniqueEmail("resend");
        String id = createUser(admin, email, GOOD_PASSWORD, null);

        Response r = as(admin).post("/admin/api/users/" + id + "/verification");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
        MailServer.Received mail = MailServer.nth(email, 1);
        assertThat(mail.subject()).isEqualTo("Verify your email address");
        String link = mail.link(ISSUER + "/verify-email?token=");
        Browser browser = new Browser();
        Response page = browser.get(path(link));
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
        assertThat(as(admin).get("/admin/api/users/" + id).jsonPath().getBoolean("email_verified"))
                .as("opening the link changes nothing").isFalse();
        Response verified = postFormOf(browser, page, Map.of());
        assertThat(verified.statusCode()).isEqualTo(303);
        assertThat(as(admin).get("/admin/api/users/" + id).jsonPath().getBoolean("email_verified")).isTrue();
        assertThat(events()).anySatisfy(e -> {
            assertThat(e.get("action")).isEqualTo("user.verification_sent");
            assertThat(e.get("target")).isEqualTo(id);
            assertThat(e.get("actor")).isEqualTo(TestData.ADMIN_CLIENT_ID);
        });

        Response again = as(admin).post("/admin/api/users/" + id + "/verification");
        assertAdminError(again, 409, "email_verified");
    }

    @Test
    void resendVerificationWhenUserUnknownThenNotFound() {
        assertAdminError(as(admin).post("/admin/api/users/" + UUID.randomUUID() + "/verification"), 404, null);
        assertAdminError(as(admin).post("/admin/api/users/not-a-uuid/verification"), 404, null);
    }

    @Test
    void resendVerificationWhenNoAdminTokenThenUnauthorized() {
        String id = createUser(admin, uniqueEmail("resend-anon"), GOOD_PASSWORD, null);
        assertThat(given().post("/admin/api/users/" + id + "/verification").statusCode()).isEqualTo(401);
    }

    // ---- helpers

    /** A path and query on this server from an absolute link of a mail (built from the issuer). */
    static String path(String link) {
        assertThat(link).as("links are built from the issuer").startsWith(ISSUER + "/");
        return link.substring(ISSUER.length());
    }

    /** Posts the page's form as a browser would: its hidden inputs, plus {@code values}. */
    static Response postFormOf(Browser browser, Response page, Map<String, String> values) {
        Element form = Browser.html(page).selectFirst("form[method=post]");
        Map<String, String> body = new LinkedHashMap<>();
        form.select("input[name]").forEach(i -> body.put(i.attr("name"), i.attr("value")));
        body.putAll(values);
        return browser.post(form.attr("action"), body);
    }

    private List<Map<String, Object>> events() {
        return as(admin).get("/admin/api/audit").jsonPath().getList("items");
    }
}
