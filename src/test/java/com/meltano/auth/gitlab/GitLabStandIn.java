package com.meltano.auth.gitlab;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.oauth2.sdk.TokenRequest;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real OpenID provider standing in for GitLab (mock-oauth2-server on a random loopback port):
 * discovery, authorization endpoint, token endpoint, JWKS, RS256-signed ID tokens carrying the
 * nonce of the request. Each test sets the identity the next logins get (a setting, not a queue:
 * a test whose login never reaches the token endpoint leaves nothing behind for the next one).
 */
public class GitLabStandIn implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER_ID = "gitlab";
    public static final String CLIENT_ID = "meltano-auth-gitlab-app";
    public static final String CLIENT_SECRET = "gitlab-app-secret-" + Long.toHexString(System.nanoTime());
    public static final String GROUP_ROLES = "data-team=analyst,data-team/admins=admin";

    static volatile MockOAuth2Server server;
    static volatile TamperingProxy proxy;
    private static volatile OAuth2TokenCallback next = new DefaultOAuth2TokenCallback(ISSUER_ID, "nobody", "JWT", null, Map.of(), 3600);

    @Override
    public Map<String, String> start() {
        server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(), Set.of(new Current())));
        server.start();
        try {
            proxy = new TamperingProxy(server.baseUrl().port());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "meltano.auth.gitlab-url", issuer(),
                "meltano.auth.gitlab-client-id", CLIENT_ID,
                "meltano.auth.gitlab-client-secret", CLIENT_SECRET,
                "meltano.auth.gitlab-group-roles", GROUP_ROLES);
    }

    @Override
    public void stop() {
        if (proxy != null) {
            try {
                proxy.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (server != null) {
            server.shutdown();
        }
    }

    /** GitLab as our server and the browser see it: through the proxy (the stand-in names itself after the Host header). */
    public static String issuer() {
        return "http://localhost:" + proxy.port() + "/" + ISSUER_ID;
    }

    /** The identity GitLab reports at the next login. */
    public static void nextLogin(String sub, String email, boolean emailVerified, String username, List<String> groupsDirect) {
        nextLogin(new DefaultOAuth2TokenCallback(ISSUER_ID, sub, "JWT", null,
                Map.of("email", email, "email_verified", emailVerified, "nickname", username, "groups_direct", groupsDirect),
                3600));
    }

    public static void nextLogin(OAuth2TokenCallback callback) {
        next = callback;
    }

    /** GitLab's answer at its token endpoint: whatever the test last set. */
    private static final class Current implements OAuth2TokenCallback {
        @Override
        public String issuerId() {
            return ISSUER_ID;
        }

        @Override
        public String subject(TokenRequest request) {
            return next.subject(request);
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return next.typeHeader(request);
        }

        @Override
        public List<String> audience(TokenRequest request) {
            return next.audience(request);
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            return next.addClaims(request);
        }

        @Override
        public long tokenExpiry() {
            return next.tokenExpiry();
        }
    }
}
