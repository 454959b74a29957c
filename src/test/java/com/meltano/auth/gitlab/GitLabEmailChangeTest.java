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
import com.meltano.auth.support.MailServer;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Changing the email of an account without a password (SPEC sections 5 and 12): the
 * re-authentication is a GitLab sign-in from the last 5 minutes, as for a first password; an
 * older one is refused next to the form and nothing is mailed.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailAndGitLab.class)
class GitLabEmailChangeTest {

    @Inject
    DataSource ds;

    @Test
    void gitlabOnlyAccountAfterFreshGitLabSignInThenLinkMailedToTheNewAddress() {
        String sub = "gl-" + UUID.randomUUID();
        GitLabStandIn.nextLogin(sub, Browser.uniqueEmail("gitlab-change"), true, "changer", List.of());
        Browser browser = new Browser();
        GitLabRoundTrip.signIn(browser);
        assertThat(Browser.html(browser.get("/account")).select("form[action=/account/email] input[name=current_password]"))
                .as("no password to ask for").isEmpty();
        String next = Browser.uniqueEmail("gitlab-changed");

        Response r = browser.post("/account/email", Map.of("csrf", browser.csrfOf("/account"), "new_email", next));

        assertThat(Browser.ourPath(r.header("Location"))).isEqualTo("/account?email=sent");
        assertThat(MailServer.nth(next, 1).subject()).isEqualTo("Confirm your new email address");
    }

    @Test
    void gitlabOnlyAccountWithStaleGitLabSignInThenRefusedNextToTheFormAndNothingMailed() {
        String sub = "gl-" + UUID.randomUUID();
        GitLabStandIn.nextLogin(sub, Browser.uniqueEmail("gitlab-change-stale"), true, "stale-changer", List.of());
        Browser browser = new Browser();
        GitLabRoundTrip.signIn(browser);
        String userId = GitLabRoundTrip.linkedUser(ds, sub);
        Database.count(ds, "with u as (update user_session set auth_time = now() - interval '6 minutes'"
                + " where user_id = cast(? as uuid) returning 1) select count(*) from u", userId);
        String next = Browser.uniqueEmail("gitlab-change-refused");

        Response r = browser.post("/account/email", Map.of("csrf", browser.csrfOf("/account"), "new_email", next));

        assertThat(Browser.ourPath(r.header("Location"))).isEqualTo("/account?error=email_stale");
        assertThat(Browser.html(browser.follow(r)).select("#email-error").text()).startsWith("Change email:")
                .contains("GitLab sign-in from the last 5 minutes");
        assertThat(Database.count(ds, "select count(*) from email_link where user_id = cast(? as uuid)", userId))
                .as("no link issued").isZero();
    }
}
