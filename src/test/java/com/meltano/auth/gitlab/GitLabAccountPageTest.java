package com.meltano.auth.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.MailAndGitLab;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** Linking, unlinking and a first password on the account page (SPEC section 5a). */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailAndGitLab.class)
class GitLabAccountPageTest {

    @Inject
    DataSource ds;

    @Test
    void linkWithCurrentPasswordThenLinkedAndGitLabSignsIntoThatAccount() {
        Local local = Local.signedIn();
        String sub = "gl-" + UUID.randomUUID();
        // the GitLab account's email may differ from the local one: the person proved both
        GitLabStandIn.nextLogin(sub, Browser.uniqueEmail("gitlab-other-mail"), true, "linker", List.of());

        Response r = linkFlow(local.browser, Map.of("current_password", Browser.PASSWORD));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        assertThat(r.header("Location")).endsWith("/account?gitlab=linked");
        assertThat(linkedUser(sub)).isEqualTo(local.id);
        assertThat(Browser.html(local.browser.get("/account")).text()).contains("linked to GitLab as linker");
        assertThat(Database.count(ds, "select count(*) from audit_event where action = 'gitlab.linked' and target = ?", local.id))
                .isEqualTo(1);

        GitLabStandIn.nextLogin(sub, Browser.uniqueEmail("gitlab-other-mail"), true, "linker", List.of());
        Browser another = new Browser();
        assertThat(GitLabRoundTrip.signIn(another).statusCode()).isEqualTo(303);
        assertThat(another.get("/account").asString()).contains(local.email);
    }

    @Test
    void linkWithWrongPasswordOrWithoutCsrfThenNothingStarts() {
        Local local = Local.signedIn();
        String csrf = local.browser.csrfOf("/account");

        Response wrong = local.browser.post("/account/gitlab/link", Map.of("csrf", csrf, "current_password", "not-the-password"));
        Response forged = local.browser.post("/account/gitlab/link", Map.of("current_password", Browser.PASSWORD));

        assertThat(wrong.header("Location")).endsWith("/account?error=gitlab_wrong");
        assertThat(forged.header("Location")).endsWith("/login");
        assertThat(Database.count(ds, "select count(*) from login_flow where link_user_id = cast(? as uuid)", local.id)).isZero();
    }

    @Test
    void linkWhenGitLabAccountBelongsToAnotherAccountThenRefused() {
        String sub = "gl-" + UUID.randomUUID();
        GitLabStandIn.nextLogin(sub, Browser.uniqueEmail("gitlab-owner"), true, "owner", List.of());
        GitLabRoundTrip.signIn(new Browser());
        String owner = linkedUser(sub);
        Local local = Local.signedIn();
        GitLabStandIn.nextLogin(sub, Browser.uniqueEmail("gitlab-owner"), true, "owner", List.of());

        Response r = linkFlow(local.browser, Map.of("current_password", Browser.PASSWORD));

        assertThat(r.header("Location")).endsWith("/account?error=gitlab_taken");
        assertThat(linkedUser(sub)).isEqualTo(owner);
    }

    @Test
    void unlinkWithPasswordThenGone() {
        Local local = Local.signedIn();
        String sub = "gl-" + UUID.randomUUID();
        GitLabStandIn.nextLogin(sub, Browser.uniqueEmail("gitlab-unlink"), true, "u", List.of());
        linkFlow(local.browser, Map.of("current_password", Browser.PASSWORD));
        assertThat(linkedUser(sub)).isEqualTo(local.id);

        Response r = local.browser.post("/account/gitlab/unlink",
                Map.of("csrf", local.browser.csrfOf("/account"), "current_password", Browser.PASSWORD));

        assertThat(r.header("Location")).endsWith("/account?gitlab=unlinked");
        assertThat(linkedUser(sub)).isNull();
    }

    @Test
    void gitlabOnlyAccountCannotUnlinkItsOnlyWayToSignIn() {
        String sub = "gl-" + UUID.randomUUID();
        GitLabStandIn.nextLogin(sub, Browser.uniqueEmail("gitlab-only"), true, "only", List.of());
        Browser browser = new Browser();
        GitLabRoundTrip.signIn(browser);

        Response r = browser.post("/account/gitlab/unlink", Map.of("csrf", browser.csrfOf("/account")));

        assertThat(r.header("Location")).endsWith("/account?error=gitlab_only");
        assertThat(linkedUser(sub)).isNotNull();
        assertThat(Browser.html(browser.get("/account")).select("form[action=/account/gitlab/unlink]")).isEmpty();
    }

    @Test
    void gitlabOnlyAccountSetsPasswordAfterFreshGitLabLoginThenPasswordWorks() {
        String sub = "gl-" + UUID.randomUUID();
        String email = Browser.uniqueEmail("gitlab-setpw");
        GitLabStandIn.nextLogin(sub, email, true, "setpw", List.of());
        Browser browser = new Browser();
        GitLabRoundTrip.signIn(browser);

        Response r = browser.post("/account/password", Map.of("csrf", browser.csrfOf("/account"), "new_password", Browser.PASSWORD));

        assertThat(r.header("Location")).endsWith("/account?changed=1");
        Browser other = new Browser();
        String csrf = other.csrfOf("/login");
        Response login = other.post("/login", Map.of("email", email, "password", Browser.PASSWORD, "csrf", csrf));
        assertThat(login.header("Location")).endsWith("/account");
    }

    @Test
    void gitlabOnlyAccountWithStaleGitLabLoginCannotSetPassword() {
        String sub = "gl-" + UUID.randomUUID();
        GitLabStandIn.nextLogin(sub, Browser.uniqueEmail("gitlab-stale"), true, "stale", List.of());
        Browser browser = new Browser();
        GitLabRoundTrip.signIn(browser);
        String userId = linkedUser(sub);
        Database.count(ds, "with u as (update user_session set auth_time = now() - interval '6 minutes'"
                + " where user_id = cast(? as uuid) returning 1) select count(*) from u", userId);

        Response r = browser.post("/account/password", Map.of("csrf", browser.csrfOf("/account"), "new_password", Browser.PASSWORD));

        assertThat(r.header("Location")).endsWith("/account?error=stale");
        assertThat(Database.count(ds, "select count(*) from app_user where id = cast(? as uuid) and password_hash is null", userId))
                .isEqualTo(1);
    }

    @Test
    void gitlabOnlyAccountDeletesItselfAfterFreshGitLabLoginAndTypedEmailThenLinkGone() {
        String sub = "gl-" + UUID.randomUUID();
        String email = Browser.uniqueEmail("gitlab-delete");
        GitLabStandIn.nextLogin(sub, email, true, "deleter", List.of());
        Browser browser = new Browser();
        GitLabRoundTrip.signIn(browser);
        String userId = linkedUser(sub);

        Response r = browser.post("/account/delete", Map.of("csrf", browser.csrfOf("/account"), "confirm_email", email));

        assertThat(r.header("Location")).endsWith("/account/deleted");
        assertThat(linkedUser(sub)).as("the linked identity went with the account").isNull();
        assertThat(Database.count(ds, "select count(*) from app_user where id = cast(? as uuid)", userId)).isZero();
    }

    @Test
    void gitlabOnlyAccountWithStaleGitLabLoginCannotDeleteItself() {
        String sub = "gl-" + UUID.randomUUID();
        String email = Browser.uniqueEmail("gitlab-delete-stale");
        GitLabStandIn.nextLogin(sub, email, true, "stale-deleter", List.of());
        Browser browser = new Browser();
        GitLabRoundTrip.signIn(browser);
        String userId = linkedUser(sub);
        Database.count(ds, "with u as (update user_session set auth_time = now() - interval '6 minutes'"
                + " where user_id = cast(? as uuid) returning 1) select count(*) from u", userId);

        Response r = browser.post("/account/delete", Map.of("csrf", browser.csrfOf("/account"), "confirm_email", email));

        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/account?error=delete_stale");
        assertThat(Browser.html(browser.follow(r)).select("#delete-error").text()).startsWith("Delete account:")
                .contains("GitLab sign-in from the last 5 minutes");
        assertThat(linkedUser(sub)).isEqualTo(userId);
    }

    // ------------------------------------------------------------------ helpers

    /** A local account signed in with its password. */
    record Local(String id, String email, Browser browser) {
        static Local signedIn() {
            String email = Browser.uniqueEmail("local");
            String id = Browser.createUser(email, Browser.PASSWORD);
            Browser browser = new Browser();
            String csrf = browser.csrfOf("/login");
            Response r = browser.post("/login", Map.of("email", email, "password", Browser.PASSWORD, "csrf", csrf));
            assertThat(r.header("Location")).endsWith("/account");
            return new Local(id, email, browser);
        }
    }

    /** POST link from the account page, then the GitLab round trip; returns our callback's answer. */
    private static Response linkFlow(Browser browser, Map<String, String> reauth) {
        Map<String, String> form = new java.util.HashMap<>(reauth);
        form.put("csrf", browser.csrfOf("/account"));
        Response link = browser.post("/account/gitlab/link", form);
        assertThat(link.statusCode()).as(link.asString()).isEqualTo(303);
        assertThat(link.header("Location")).endsWith(GitLabSettings.START_PATH);
        Response start = browser.follow(link);
        assertThat(start.statusCode()).as(start.asString()).isEqualTo(302);
        Response atGitLab = GitLabRoundTrip.openAtGitLab(start.header("Location"));
        return browser.get(GitLabRoundTrip.pathAndQuery(atGitLab.header("Location")));
    }

    private String linkedUser(String sub) {
        return GitLabRoundTrip.linkedUser(ds, sub);
    }
}
