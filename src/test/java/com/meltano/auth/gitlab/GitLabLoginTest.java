package com.meltano.auth.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.MailAndGitLab;
import com.meltano.auth.support.PostgresTestResource;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/** GitLab login through a real OpenID provider standing in for GitLab (SPEC section 5a). */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailAndGitLab.class)
class GitLabLoginTest {

    @Inject
    DataSource ds;

    @Test
    void firstGitLabLoginWhenNoLocalAccountThenAccountCreatedLinkedAndSignedIn() {
        String sub = "gl-" + UUID.randomUUID();
        String email = Browser.uniqueEmail("gitlab-first");
        GitLabStandIn.nextLogin(sub, email, true, "first.user", List.of());
        Browser browser = new Browser();

        Response r = GitLabRoundTrip.signIn(browser);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        assertThat(r.header("Location")).endsWith("/account");
        assertThat(browser.cookie(Browser.SESSION)).isNotNull();
        List<Map<String, Object>> users = Browser.usersWithEmail(email);
        assertThat(users).hasSize(1);
        assertThat(users.get(0).get("email_verified")).as("as GitLab says").isEqualTo(true);
        assertThat(users.get(0).get("roles")).isEqualTo(List.of("regular"));
        assertThat(linkedUser(sub)).isEqualTo(users.get(0).get("id"));
        assertThat(Database.count(ds, "select count(*) from app_user where id = cast(? as uuid) and password_hash is null",
                users.get(0).get("id"))).as("no password").isEqualTo(1);
        assertThat(browser.get("/account").statusCode()).as("signed in").isEqualTo(200);
        assertThat(auditCount("gitlab.account_created", (String) users.get(0).get("id"))).isEqualTo(1);
    }

    @Test
    void exportOfAGitLabAccountListsItsLinkedIdentityWithWhatGitLabSaid() {
        String sub = "gl-" + UUID.randomUUID();
        String email = Browser.uniqueEmail("gitlab-export");
        GitLabStandIn.nextLogin(sub, email, true, "export.user", List.of());
        GitLabRoundTrip.signIn(new Browser());

        Response export = Api.admin().get("/admin/api/users/" + linkedUser(sub) + "/export");

        assertThat(export.statusCode()).as(export.asString()).isEqualTo(200);
        Map<String, Object> identity = export.jsonPath().getMap("linked_identities[0]");
        assertThat(identity).containsEntry("subject", sub).containsEntry("email", email).containsEntry("username", "export.user")
                .containsKeys("issuer", "linked_at", "last_login_at");
    }

    @Test
    void quarkusOidcSessionCookieClearedOnceLinked() {
        GitLabStandIn.nextLogin("gl-" + UUID.randomUUID(), Browser.uniqueEmail("gitlab-cookie"), true, "c", List.of());
        Browser browser = new Browser();

        Response r = GitLabRoundTrip.signIn(browser);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        assertThat(r.getDetailedCookies().asList()).filteredOn(c -> c.getName().startsWith("q_session"))
                .allSatisfy(c -> assertThat(c.getMaxAge()).as("cleared: %s", c).isZero());
        assertThat(browser.cookie("q_session_gitlab")).isNull();
    }

    @Test
    void secondGitLabLoginAfterGitLabEmailChangedThenSameAccount() {
        String sub = "gl-" + UUID.randomUUID();
        String email = Browser.uniqueEmail("gitlab-before");
        GitLabStandIn.nextLogin(sub, email, true, "before", List.of());
        assertThat(GitLabRoundTrip.signIn(new Browser()).statusCode()).isEqualTo(303);
        String userId = linkedUser(sub);

        String changed = Browser.uniqueEmail("gitlab-after");
        GitLabStandIn.nextLogin(sub, changed, true, "after", List.of());
        Response r = GitLabRoundTrip.signIn(new Browser());

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        assertThat(linkedUser(sub)).isEqualTo(userId);
        assertThat(Browser.usersWithEmail(changed)).as("no second account").isEmpty();
        assertThat(Database.count(ds, "select count(*) from federated_identity where subject = ? and username = 'after'", sub))
                .isEqualTo(1);
    }

    @Test
    void gitlabLoginWhenLocalAccountHasTheEmailThenNothingLinkedOrCreated() {
        String email = Browser.uniqueEmail("gitlab-victim");
        String localId = Browser.createUser(email, Browser.PASSWORD);
        String sub = "gl-" + UUID.randomUUID();
        // whoever controls this email at GitLab (even with a verified address) must not get the account
        GitLabStandIn.nextLogin(sub, email.toUpperCase(), true, "attacker", List.of());
        Browser browser = new Browser();

        Response r = GitLabRoundTrip.signIn(browser);

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(Browser.html(r).text()).contains("belongs to another account").contains("link GitLab");
        assertThat(browser.cookie(Browser.SESSION)).isNull();
        assertThat(Database.count(ds, "select count(*) from federated_identity where subject = ?", sub)).isZero();
        assertThat(Browser.usersWithEmail(email)).hasSize(1);
        assertThat(auditCount("gitlab.link_refused", localId)).isEqualTo(1);
    }

    @Test
    void gitlabLoginResumesTheClientsAuthorizationRequestAndTokensCarryMappedRolesAndPermissions() throws Exception {
        ensureRole("analyst", "view:reports", "finance.*");
        Browser.Client client = Browser.webClient(true);
        String sub = "gl-" + UUID.randomUUID();
        GitLabStandIn.nextLogin(sub, Browser.uniqueEmail("gitlab-client"), true, "analyst.user", List.of("data-team"));
        Browser browser = new Browser();
        String verifier = Browser.newVerifier();
        Response authorize = browser.authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid offline_access",
                "client-state", verifier));
        assertThat(Browser.ourPathOnly(authorize.header("Location"))).isEqualTo("/login");
        assertThat(Browser.html(browser.get("/login")).select("a[href^=/login/gitlab]")).as("offered on the login page").hasSize(1);

        Response back = GitLabRoundTrip.signIn(browser);

        assertThat(back.statusCode()).as(back.asString()).isEqualTo(303);
        String location = back.header("Location");
        assertThat(location).startsWith(client.redirectUri());
        Map<String, String> q = Browser.query(location);
        assertThat(q.get("state")).isEqualTo("client-state");
        Browser.Tokens tokens = Browser.exchange(client, q.get("code"), client.redirectUri(), verifier);
        JWTClaimsSet claims = verifyAccessToken(tokens.accessToken());
        assertThat(claims.getSubject()).isEqualTo(linkedUser(sub));
        assertThat(claims.getStringListClaim("roles")).containsExactly("analyst", "regular");
        assertThat(claims.getJSONObjectClaim("permissions")).containsEntry("view:reports", List.of("finance.*"));
    }

    @Test
    void groupMappingAddsAndRemovesOnlyWhatItGranted() {
        ensureRole("analyst", "view:reports", "finance.*");
        String sub = "gl-" + UUID.randomUUID();
        GitLabStandIn.nextLogin(sub, Browser.uniqueEmail("gitlab-groups"), true, "g", List.of("data-team", "data-team/admins"));
        GitLabRoundTrip.signIn(new Browser());
        String userId = linkedUser(sub);
        assertThat(assignments(userId)).containsExactlyInAnyOrder("regular/manual", "analyst/gitlab:data-team",
                "admin/gitlab:data-team/admins");
        // an admin also grants analyst by hand
        Response put = Api.admin().body(Map.of("roles", List.of("regular", "analyst"))).put("/admin/api/users/" + userId + "/roles");
        assertThat(put.statusCode()).as(put.asString()).isEqualTo(200);

        // left both groups; an inherited group (listed only in "groups") maps nothing
        GitLabStandIn.nextLogin(new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback(GitLabStandIn.ISSUER_ID, sub,
                "JWT", null, Map.of("email", Browser.uniqueEmail("g2"), "email_verified", true, "groups_direct", List.of("other"),
                        "groups", List.of("data-team", "data-team/admins")), 3600));
        GitLabRoundTrip.signIn(new Browser());

        assertThat(assignments(userId)).containsExactlyInAnyOrder("regular/manual", "analyst/manual");
    }

    @Test
    void gitlabErrorAccessDeniedThenPlainErrorPageAndNothingCreated() {
        Browser browser = new Browser();
        GitLabRoundTrip.AtGitLab trip = GitLabRoundTrip.toGitLabAndBack(browser);
        String state = GitLabRoundTrip.query(trip.authorizeUrl()).get("state");

        Response r = browser.get("/login/gitlab/callback?error=access_denied&error_description=denied&state=" + state);
        Response page = r.statusCode() == 302 || r.statusCode() == 303
                ? browser.get(GitLabRoundTrip.pathAndQuery(r.header("Location"))) : r;

        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(Browser.html(page).text()).contains("cancelled").doesNotContain("Exception");
        assertThat(Browser.html(page).select("a[href=/login]")).hasSize(1);
        assertThat(browser.cookie(Browser.SESSION)).isNull();
    }

    // ------------------------------------------------------------------ helpers

    private String linkedUser(String sub) {
        return GitLabRoundTrip.linkedUser(ds, sub);
    }

    private long auditCount(String action, String target) {
        return Database.count(ds, "select count(*) from audit_event where action = ? and target = ?", action, target);
    }

    private Set<String> assignments(String userId) {
        Set<String> out = new HashSet<>();
        for (Map<String, Object> row : Database.rows(ds, "select role_name || '/' || source as a from user_role where user_id = cast(? as uuid)",
                userId)) {
            out.add((String) row.get("a"));
        }
        return out;
    }

    static void ensureRole(String name, String type, String context) {
        Api.admin().body(Map.of("name", name)).post("/admin/api/roles");
        Api.admin().body(Map.of("type", type, "context", context)).post("/admin/api/roles/" + name + "/permissions");
    }

    static JWTClaimsSet verifyAccessToken(String token) throws Exception {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                + "/oauth2/jwks").toURL()).retrying(false).build();
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new HashSet<>(Set.of("meltano")),
                new JWTClaimsSet.Builder().issuer("http://localhost:8080").build(), Set.of("sub", "exp", "jti"), null));
        return p.process(token, null);
    }
}
