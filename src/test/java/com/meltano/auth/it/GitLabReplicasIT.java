package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

        Map<String, String> cookies = new LinkedHashMap<>();
        HttpResponse<String> begin = get(one.baseUrl() + "/login/gitlab", cookies);
        assertThat(begin.statusCode()).isEqualTo(303);
        HttpResponse<String> start = get(one.baseUrl() + "/login/gitlab/start", cookies);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
        HttpResponse<String> atGitLab = get(start.headers().firstValue("Location").orElseThrow(), new LinkedHashMap<>());
        assertThat(atGitLab.statusCode()).isEqualTo(302);
        URI callback = URI.create(atGitLab.headers().firstValue("Location").orElseThrow());
        assertThat(callback.getPort()).as("the redirect URI comes from the issuer").isEqualTo(portOne);

        HttpResponse<String> done = get(two.baseUrl() + callback.getRawPath() + "?" + callback.getRawQuery(), cookies);

        assertThat(done.statusCode()).as("replica 2 finishes: %s", done.body()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location").orElseThrow()).endsWith("/account");
        assertThat(cookies).containsKey("meltano_session");
        try (Connection c = pg.getPostgresDatabase().getConnection();
                PreparedStatement st = c.prepareStatement("select u.email from federated_identity f join app_user u on u.id = f.user_id"
                        + " where f.subject = 'replica-sub'");
                ResultSet rs = st.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("replica.user@example.com");
        }
        assertThat(get(one.baseUrl() + "/account", cookies).statusCode()).as("the session works on replica 1 too").isEqualTo(200);
        for (ServerProcess s : List.of(one, two)) {
            assertThat(s.output()).doesNotContain(appSecret);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** GET as a browser: sends and keeps cookies (by name; a Max-Age=0 cookie is dropped). */
    private static HttpResponse<String> get(String url, Map<String, String> cookies) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (String header : r.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (value.isEmpty() || header.toLowerCase().contains("max-age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return r;
    }
}
