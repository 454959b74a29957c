package com.meltano.auth.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.login.Browser.SignIn;
import com.meltano.auth.login.Browser.Tokens;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Self-service privacy on the account page (SPEC section 12): "Download my data" is the admin
 * export of the signed-in person only; "Delete my account" needs the session's form token, the
 * current password (throttled as at the password change) and the typed email, erases as the admin
 * API does, refuses the last admin, and ends with the session cookie cleared.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SelfServicePrivacyTest {

    @Inject
    DataSource ds;

    // ---------------------------------------------------------------- Download my data

    @Test
    void downloadWhenSignedInThenOwnExportAsJsonAttachmentWithRolesAndNoSecret() {
        Person p = person("download");

        Response r = p.browser.get("/account/export");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.header("Content-Disposition")).startsWith("attachment;").contains(".json");
        assertThat(r.header("Cache-Control")).contains("no-store");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.jsonPath().getString("user.id")).isEqualTo(p.id);
        assertThat(r.jsonPath().getString("user.email")).isEqualTo(p.email);
        assertThat(r.jsonPath().getList("user.roles", String.class)).contains("regular");
        assertThat(r.jsonPath().getList("grants.client_id", String.class)).contains(p.client.id());
        String body = r.asString();
        assertThat(body).doesNotContain(Browser.PASSWORD).doesNotContain("$argon2").doesNotContainIgnoringCase("password_hash")
                .doesNotContain(p.client.secret()).doesNotContain(p.tokens.refreshToken());
        Response admin = Api.admin().get("/admin/api/users/" + p.id + "/export");
        assertThat(r.jsonPath().getMap("user")).as("the same JSON as the admin export").isEqualTo(admin.jsonPath().getMap("user"));
        assertThat(r.jsonPath().getList("grants")).isEqualTo(admin.jsonPath().getList("grants"));
    }

    @Test
    void downloadWhenNoSessionThenToLoginAndNoData() {
        Response r = Browser.withSession("not-a-session").get("/account/export");

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPathOnly(r.header("Location"))).isEqualTo("/login");
        assertThat(r.asString()).doesNotContain("@");
    }

    @Test
    void accountPageLinksToDownloadAndHasDeleteFormWithFormToken() {
        Person p = person("page");

        Document page = Browser.html(p.browser.get("/account"));

        assertThat(page.select("a[href=/account/export]").text()).isEqualTo("Download my data");
        Element form = page.selectFirst("form[action=/account/delete]");
        assertThat(form).isNotNull();
        assertThat(form.attr("method")).isEqualTo("post");
        assertThat(form.select("input[name=csrf]").val()).isNotBlank();
        assertThat(form.select("input[name=current_password][type=password]")).hasSize(1);
        assertThat(form.select("input[name=confirm_email]")).hasSize(1);
        assertThat(page.select("form[action=/account/password] input[name=new_password]")).as("the other forms stay").hasSize(1);
    }

    // ---------------------------------------------------------------- Delete my account: refusals

    @Test
    void deleteWhenPasswordWrongThenRefusedNextToTheDeleteFormAndNothingDeleted() {
        Person p = person("delete-wrong");

        Response r = delete(p.browser, "not-the-password", p.email);

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/account?error=delete_wrong");
        Document page = Browser.html(p.browser.follow(r));
        Element password = page.getElementById("delete_password");
        assertThat(password.attr("aria-invalid")).isEqualTo("true");
        assertThat(describedBy(page, password)).startsWith("Delete account:").contains("password is not right");
        assertThat(page.getElementById("current_password").hasAttr("aria-invalid")).as("not at the password-change form").isFalse();
        assertThat(page.select("input[type=password]").eachAttr("value")).allMatch(String::isEmpty);
        assertStillThere(p);
    }

    @Test
    void deleteWhenTypedEmailIsNotTheAccountsThenRefusedNextToTheEmailAndNothingDeleted() {
        Person p = person("delete-email");

        Response r = delete(p.browser, Browser.PASSWORD, "someone-else@example.com");

        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/account?error=delete_email");
        Document page = Browser.html(p.browser.follow(r));
        Element email = page.getElementById("delete_email");
        assertThat(email.attr("aria-invalid")).isEqualTo("true");
        assertThat(describedBy(page, email)).startsWith("Delete account:").contains("nothing was deleted");
        assertThat(page.getElementById("delete_password").hasAttr("aria-invalid")).isFalse();
        assertStillThere(p);
    }

    @Test
    void deleteWhenEmailMissingThenRefusedAndNothingDeleted() {
        Person p = person("delete-noemail");

        Response r = p.browser.post("/account/delete", Map.of("csrf", p.browser.csrfOf("/account"), "current_password",
                Browser.PASSWORD));

        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/account?error=delete_email");
        assertStillThere(p);
    }

    @Test
    void deleteWhenCsrfForgedOrMissingThenNothingDeleted() {
        Person p = person("delete-csrf");
        Person other = person("delete-csrf-other");

        Response forged = p.browser.post("/account/delete", Map.of("csrf", other.browser.csrfOf("/account"), "current_password",
                Browser.PASSWORD, "confirm_email", p.email));
        Response missing = p.browser.post("/account/delete", Map.of("current_password", Browser.PASSWORD, "confirm_email", p.email));

        assertThat(forged.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPath(forged.header("Location"))).as("the page says nothing was done").isEqualTo("/account?error=expired");
        assertThat(Browser.ourPath(missing.header("Location"))).isEqualTo("/account?error=expired");
        assertStillThere(p);
        assertStillThere(other);
    }

    @Test
    void deleteWithoutSessionThenNothingDeleted() {
        Person p = person("delete-nosession");

        Response r = Browser.withSession("not-a-session").post("/account/delete", Map.of("csrf", p.browser.csrfOf("/account"),
                "current_password", Browser.PASSWORD, "confirm_email", p.email));

        assertThat(Browser.ourPathOnly(r.header("Location"))).isEqualTo("/login");
        assertStillThere(p);
    }

    @Test
    void deleteFromAnotherPersonsSessionCannotEraseSomeoneElse() {
        Person mallory = person("delete-mallory");
        Person victim = person("delete-victim");

        // the session decides whose account: another person's email (and the same password) erases nobody
        Response r = delete(mallory.browser, Browser.PASSWORD, victim.email);

        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/account?error=delete_email");
        assertStillThere(victim);
        assertStillThere(mallory);
    }

    @Test
    void deleteWhenWrongPasswordsHereAndAtThePasswordChangeThenThrottledTogetherAndRightOneWaits() {
        Person p = person("delete-throttle");
        String csrf = p.browser.csrfOf("/account");
        for (int i = 0; i < 3; i++) {
            assertThat(Browser.outcome(delete(p.browser, "wrong-" + i, p.email).header("Location")))
                    .isEqualTo("/account?error=delete_wrong");
            Response change = p.browser.post("/account/password", Map.of("csrf", csrf, "current_password", "other-wrong-" + i,
                    "new_password", "a-brand-new-passphrase-42"));
            assertThat(Browser.outcome(change.header("Location"))).isEqualTo("/account?error=wrong");
        }

        Response r = delete(p.browser, Browser.PASSWORD, p.email);

        assertThat(Browser.outcome(r.header("Location"))).as("told to wait, never that the password is wrong")
                .matches("/account\\?wait=[1-9][0-9]*&form=delete");
        Document page = Browser.html(p.browser.follow(r));
        Element password = page.getElementById("delete_password");
        assertThat(password.attr("aria-invalid")).isEqualTo("true");
        assertThat(describedBy(page, password)).startsWith("Delete account:").contains("Wait").doesNotContain("not right");
        assertThat(page.getElementById("current_password").hasAttr("aria-invalid")).isFalse();
        assertStillThere(p);
    }

    @Test
    void deleteWhenLastAdminThenRefusedWithMessageAndNothingDeleted() {
        String email = Browser.uniqueEmail("delete-last-admin");
        Response created = Api.admin().body(Map.of("email", email, "password", Browser.PASSWORD, "roles", List.of("admin")))
                .post("/admin/api/users");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        String id = created.path("id");
        Browser browser = signedIn(email);
        try {
            withOnlyEnabledAdmin(id, () -> {
                Response r = delete(browser, Browser.PASSWORD, email);

                assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/account?error=delete_last_admin");
                Document page = Browser.html(browser.follow(r));
                Element form = page.selectFirst("form[action=/account/delete]");
                assertThat(describedBy(page, form)).startsWith("Delete account:").contains("last admin")
                        .contains("nothing was deleted");
                assertThat(Api.admin().get("/admin/api/users/" + id).statusCode()).isEqualTo(200);
            });
        } finally {
            Api.admin().delete("/admin/api/users/" + id);
        }
    }

    // ---------------------------------------------------------------- Delete my account: done

    @Test
    void deleteWhenPasswordAndEmailRightThenErasedTokensDeadCookieClearedAndNoMoreSignIn() {
        Person p = person("delete-done");
        String session = p.browser.cookie(Browser.SESSION);

        // typed as a person might: other case, a space around it
        Response r = delete(p.browser, Browser.PASSWORD, " " + p.email.toUpperCase(java.util.Locale.ROOT) + " ");

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/account/deleted");
        io.restassured.http.Cookie cleared = r.getDetailedCookie(Browser.SESSION);
        assertThat(cleared).as("the session cookie is cleared: %s", r.headers().getValues("Set-Cookie")).isNotNull();
        assertThat(cleared.getMaxAge()).isZero();
        assertThat(cleared.getValue()).isNullOrEmpty();
        Response done = Browser.withSession(null).get("/account/deleted");
        assertThat(done.statusCode()).isEqualTo(200);
        Document page = Browser.html(done);
        assertThat(page.text()).contains("account").contains("deleted");
        assertThat(page.select("a[href=/login]")).isNotEmpty();
        // erased as the admin API erases
        assertThat(Api.admin().get("/admin/api/users/" + p.id).statusCode()).isEqualTo(404);
        assertThat(Browser.usersWithEmail(p.email)).isEmpty();
        Response refresh = Browser.refresh(p.client, p.tokens.refreshToken());
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat((String) refresh.path("error")).isEqualTo("invalid_grant");
        assertThat(Browser.userinfoStatus(p.tokens.accessToken())).isEqualTo(401);
        assertThat(Browser.ourPathOnly(Browser.withSession(session).get("/account").header("Location"))).isEqualTo("/login");
        assertThat(login(p.email, Browser.PASSWORD)).isEqualTo("/login?failed=1");
        // audited with the person as actor, by id only
        assertThat(Database.count(ds, "select count(*) from audit_event where action = 'user.deleted' and actor = ? and target = ?",
                p.id, p.id)).isEqualTo(1);
        assertThat(Database.count(ds, "select count(*) from audit_event where actor = ? or target = ? or details::text like ?",
                p.email, p.email, "%" + p.email + "%")).isZero();
    }

    @Test
    void deleteWhenSubmittedTwiceThenSecondFindsNoAccountAndChangesNothing() {
        Person p = person("delete-twice");
        String csrf = p.browser.csrfOf("/account");
        String session = p.browser.cookie(Browser.SESSION);
        Map<String, String> form = Map.of("csrf", csrf, "current_password", Browser.PASSWORD, "confirm_email", p.email);
        assertThat(Browser.outcome(p.browser.post("/account/delete", form).header("Location"))).isEqualTo("/account/deleted");

        Response again = Browser.withSession(session).post("/account/delete", form);

        assertThat(again.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPathOnly(again.header("Location"))).isEqualTo("/login");
    }

    // ---------------------------------------------------------------- helpers

    private record Person(String id, String email, Client client, Browser browser, Tokens tokens) {
    }

    /** A person signed in at a client (a grant with a refresh token) and in this browser. */
    private static Person person(String label) {
        Client client = Browser.webClient(true);
        String email = Browser.uniqueEmail(label);
        String id = Browser.createUser(email, Browser.PASSWORD);
        Browser browser = new Browser();
        SignIn signIn = browser.signIn(client.id(), client.redirectUri(), "openid offline_access", email, Browser.PASSWORD);
        Tokens tokens = Browser.exchange(client, signIn);
        assertThat(tokens.refreshToken()).isNotBlank();
        return new Person(id, email, client, browser, tokens);
    }

    private static Browser signedIn(String email) {
        Browser browser = new Browser();
        String csrf = browser.csrfOf("/login");
        Response r = browser.post("/login", Map.of("email", email, "password", Browser.PASSWORD, "csrf", csrf));
        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/account");
        return browser;
    }

    private static Response delete(Browser browser, String password, String email) {
        String csrf = browser.csrfOf("/account");
        return browser.post("/account/delete", Map.of("csrf", csrf, "current_password", password, "confirm_email", email));
    }

    private void assertStillThere(Person p) {
        assertThat(Api.admin().get("/admin/api/users/" + p.id).statusCode()).as("the account of %s is still there", p.email)
                .isEqualTo(200);
        assertThat(Browser.refreshed(p.client, p.tokens.refreshToken()).refreshToken()).as("its grant still works").isNotBlank();
    }

    /** A fresh sign-in at the login page: where the POST sends the browser. */
    private static String login(String email, String password) {
        Browser b = new Browser();
        String csrf = b.csrfOf("/login");
        Response r = b.post("/login", Map.of("email", email, "password", password, "csrf", csrf));
        assertThat(r.statusCode()).isEqualTo(303);
        return Browser.outcome(r.header("Location"));
    }

    /** The texts that {@code aria-describedby} of this element points at. */
    private static String describedBy(Document page, Element element) {
        List<String> texts = new ArrayList<>();
        for (String id : element.attr("aria-describedby").trim().split("\\s+")) {
            Element e = id.isEmpty() ? null : page.getElementById(id);
            if (e != null) {
                texts.add(e.text());
            }
        }
        return String.join(" ", texts);
    }

    /**
     * Runs {@code check} while {@code adminId} is the only enabled admin user: every other enabled
     * admin is disabled first (over the admin API, whose token belongs to a client) and enabled again
     * afterwards. Test classes run one after another, so nothing else sees the gap.
     */
    private static void withOnlyEnabledAdmin(String adminId, Runnable check) {
        List<String> others = new ArrayList<>();
        String cursor = null;
        do {
            var req = Api.admin();
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            Response r = req.get("/admin/api/users");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            List<Map<String, Object>> items = r.jsonPath().getList("items");
            for (Map<String, Object> u : items) {
                if (Boolean.TRUE.equals(u.get("enabled")) && ((List<?>) u.get("roles")).contains("admin")
                        && !adminId.equals(u.get("id"))) {
                    others.add((String) u.get("id"));
                }
            }
            cursor = r.jsonPath().getString("next_cursor");
        } while (cursor != null);
        List<String> disabled = new ArrayList<>();
        try {
            for (String other : others) {
                Browser.patchUser(other, Map.of("enabled", false));
                disabled.add(other);
            }
            check.run();
        } finally {
            for (String other : disabled) {
                Api.admin().body(Map.of("enabled", true)).patch("/admin/api/users/" + other);
            }
        }
    }
}
