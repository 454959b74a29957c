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

import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * GitLab answers that must not sign anyone in: each ends on an HTML page in plain words with a way
 * back to the sign-in page, and creates nothing (no account, no link, no session).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailAndGitLab.class)
class GitLabAttacksTest {

    @Inject
    DataSource ds;

    @Test
    void idTokenForAnotherAudienceThenRefused() {
        Identity id = Identity.fresh();
        Map<String, Object> claims = new java.util.HashMap<>(id.claims());
        claims.put("aud", "some-other-application");
        claims.put("azp", "some-other-application");
        GitLabStandIn.nextLogin(new DefaultOAuth2TokenCallback(GitLabStandIn.ISSUER_ID, id.sub, "JWT", null, claims, 3600));

        assertRefused(GitLabRoundTrip.signIn(id.browser), id);
    }

    @Test
    void idTokenWithBrokenSignatureThenRefused() {
        Identity id = Identity.fresh();
        GitLabStandIn.nextLogin(new DefaultOAuth2TokenCallback(GitLabStandIn.ISSUER_ID, id.sub, "JWT", null, id.claims(), 3600));
        GitLabStandIn.proxy.breakNextIdTokenSignature();

        Response r = GitLabRoundTrip.signIn(id.browser);

        assertThat(GitLabStandIn.proxy.tampered()).as("the proxy broke the ID token's signature").isTrue();
        assertRefused(r, id);
    }

    @Test
    void idTokenFromAnotherIssuerThenRefused() {
        Identity id = Identity.fresh();
        Map<String, Object> claims = new java.util.HashMap<>(id.claims());
        claims.put("iss", "https://gitlab.attacker.example");
        GitLabStandIn.nextLogin(new DefaultOAuth2TokenCallback(GitLabStandIn.ISSUER_ID, id.sub, "JWT", null, claims, 3600));

        assertRefused(GitLabRoundTrip.signIn(id.browser), id);
    }

    @Test
    void expiredIdTokenThenRefused() {
        Identity id = Identity.fresh();
        GitLabStandIn.nextLogin(new DefaultOAuth2TokenCallback(GitLabStandIn.ISSUER_ID, id.sub, "JWT", null, id.claims(), -600));

        assertRefused(GitLabRoundTrip.signIn(id.browser), id);
    }

    @Test
    void idTokenWithAnotherNonceThenRefused() {
        Identity id = Identity.fresh();
        GitLabStandIn.nextLogin(new DefaultOAuth2TokenCallback(GitLabStandIn.ISSUER_ID, id.sub, "JWT", null, id.claims(), 3600));
        Response begin = id.browser.get("/login/gitlab");
        Response start = id.browser.follow(begin);
        String authorizeUrl = start.header("Location");
        String nonce = Browser.query(authorizeUrl).get("nonce");
        assertThat(nonce).as("a nonce is sent to GitLab").isNotBlank();
        // an attacker's authorization request: GitLab puts its nonce into the ID token
        Response atGitLab = GitLabRoundTrip.openAtGitLab(authorizeUrl.replace("nonce=" + nonce, "nonce=attacker-" + UUID.randomUUID()));

        Response r = id.browser.get(GitLabRoundTrip.pathAndQuery(atGitLab.header("Location")));

        assertRefused(r, id);
    }

    @Test
    void replayedCallbackThenRefusedAndNothingMore() {
        Identity id = Identity.fresh();
        GitLabStandIn.nextLogin(new DefaultOAuth2TokenCallback(GitLabStandIn.ISSUER_ID, id.sub, "JWT", null, id.claims(), 3600));
        GitLabRoundTrip.AtGitLab trip = GitLabRoundTrip.toGitLabAndBack(id.browser);
        Browser copy = new Browser();
        id.browser.cookies().forEach(copy::withCookie);
        Response first = id.browser.get(GitLabRoundTrip.pathAndQuery(trip.callbackUrl()));
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(303);
        long sessions = Database.count(ds, "select count(*) from user_session");

        // the same callback again, with every cookie the browser had before the first one
        Response replay = copy.get(GitLabRoundTrip.pathAndQuery(trip.callbackUrl()));

        assertThat(replay.statusCode()).as(replay.asString()).isIn(400, 401);
        assertErrorPage(replay);
        assertThat(Database.count(ds, "select count(*) from user_session")).as("no new session").isEqualTo(sessions);
        assertThat(replay.getDetailedCookies().get(Browser.SESSION)).isNull();
    }

    @Test
    void callbackWithAnotherBrowsersStateThenRefused() {
        Identity victim = Identity.fresh();
        Identity attacker = Identity.fresh();
        GitLabRoundTrip.toGitLabAndBack(victim.browser); // the victim's round trip is pending
        GitLabStandIn.nextLogin(new DefaultOAuth2TokenCallback(GitLabStandIn.ISSUER_ID, attacker.sub, "JWT", null,
                attacker.claims(), 3600));
        GitLabRoundTrip.AtGitLab attackers = GitLabRoundTrip.toGitLabAndBack(attacker.browser);

        // login CSRF: the victim's browser is made to open the attacker's callback
        Response r = victim.browser.get(GitLabRoundTrip.pathAndQuery(attackers.callbackUrl()));

        assertRefused(r, attacker);
        assertThat(victim.browser.cookie(Browser.SESSION)).isNull();
    }

    // ------------------------------------------------------------------ helpers

    /** A person with a fresh GitLab identity and browser. */
    record Identity(String sub, String email, Browser browser) {
        static Identity fresh() {
            return new Identity("gl-" + UUID.randomUUID(), Browser.uniqueEmail("gitlab-attack"), new Browser());
        }

        Map<String, Object> claims() {
            return Map.of("email", email, "email_verified", true, "nickname", "someone", "groups_direct", List.of("data-team"));
        }
    }

    private void assertRefused(Response r, Identity id) {
        Response page = r.statusCode() == 302 || r.statusCode() == 303
                ? id.browser.get(GitLabRoundTrip.pathAndQuery(r.header("Location"))) : r;
        assertThat(page.statusCode()).as("%s %s", page.statusCode(), page.asString()).isIn(400, 401, 403);
        assertErrorPage(page);
        assertThat(Database.count(ds, "select count(*) from federated_identity where subject = ?", id.sub)).isZero();
        assertThat(Browser.usersWithEmail(id.email)).isEmpty();
        assertThat(id.browser.cookie(Browser.SESSION)).isNull();
    }

    private static void assertErrorPage(Response page) {
        assertThat(page.contentType()).startsWith("text/html");
        String text = Browser.html(page).text();
        assertThat(text).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("at com.");
        assertThat(Browser.html(page).select("a[href=/login]")).as("a way back: %s", page.asString()).hasSize(1);
    }
}
