package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * SPEC section 5a: any replica completes a GitLab round trip another started. Two server processes
 * share one PostgreSQL and the key-encryption key; the browser starts at replica 1 and GitLab sends
 * it back to replica 2 (as a load balancer may).
 */
@ProcessLevel
class GitLabReplicasIT {

    @TempDir
    Path tmp;

    private EmbeddedPostgres pg;
    private MockOAuth2Server gitlab;
    private ServerProcess one;
    private ServerProcess two;

    @AfterEach
    void cleanUp() throws Exception {
        for (ServerProcess s : new ServerProcess[] {one, two}) {
            if (s != null) {
                s.stop();
            }
        }
        if (gitlab != null) {
            gitlab.shutdown();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void gitlabRoundTripStartedOnOneReplicaFinishesOnTheOther() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        gitlab = new MockOAuth2Server();
        gitlab.start();
        String appSecret = ItSupport.newSecret();
        int portOne = ServerProcess.freePort();
        Map<String, String> env = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", pg.getJdbcUrl("postgres", "postgres"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "MELTANO_AUTH_KEY_ENCRYPTION_KEY", ItSupport.newKek(),
                "MELTANO_AUTH_ISSUER", "http://127.0.0.1:" + portOne,
                "MELTANO_AUTH_GITLAB_URL", gitlab.issuerUrl("gitlab").toString().replaceAll("/$", ""),
                "MELTANO_AUTH_GITLAB_CLIENT_ID", "replica-app",
                "MELTANO_AUTH_GITLAB_CLIENT_SECRET", appSecret);
        Map<String, String> envOne = new LinkedHashMap<>(env);
        envOne.put("QUARKUS_HTTP_PORT", Integer.toString(portOne));
        one = ServerProcess.launch("gitlab-replica-1", tmp.resolve("one"), envOne);
        two = ServerProcess.launch("gitlab-replica-2", tmp.resolve("two"), env);
        one.awaitReady();
        two.awaitReady();
        gitlab.enqueueCallback(new DefaultOAuth2TokenCallback("gitlab", "replica-sub", "JWT", null,
                Map.of("email", "replica.user@example.com", "email_verified", true), 3600));

        ItBrowser browser = new ItBrowser();
        HttpResponse<String> begin = browser.get(one.baseUrl() + "/login/gitlab");
        assertThat(begin.statusCode()).isEqualTo(303);
        HttpResponse<String> start = browser.get(one.baseUrl() + "/login/gitlab/start");
        assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
        HttpResponse<String> atGitLab = new ItBrowser().get(start.headers().firstValue("Location").orElseThrow());
        assertThat(atGitLab.statusCode()).isEqualTo(302);
        URI callback = URI.create(atGitLab.headers().firstValue("Location").orElseThrow());
        assertThat(callback.getPort()).as("the redirect URI comes from the issuer").isEqualTo(portOne);

        HttpResponse<String> done = browser.get(two.baseUrl() + callback.getRawPath() + "?" + callback.getRawQuery());

        assertThat(done.statusCode()).as("replica 2 finishes: %s", done.body()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location").orElseThrow()).endsWith("/account");
        assertThat(browser.cookies).containsKey("meltano_session");
        try (Connection c = pg.getPostgresDatabase().getConnection();
                PreparedStatement st = c.prepareStatement("select u.email from federated_identity f join app_user u on u.id = f.user_id"
                        + " where f.subject = 'replica-sub'");
                ResultSet rs = st.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("replica.user@example.com");
        }
        assertThat(browser.get(one.baseUrl() + "/account").statusCode()).as("the session works on replica 1 too").isEqualTo(200);
        for (ServerProcess s : List.of(one, two)) {
            assertThat(s.output()).doesNotContain(appSecret);
        }
    }
}
