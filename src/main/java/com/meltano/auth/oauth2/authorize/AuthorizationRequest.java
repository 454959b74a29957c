package com.meltano.auth.oauth2.authorize;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.meltano.auth.oauth2.Scopes;

/**
 * A validated authorization request (RFC 6749 section 4.1.1, OIDC Core 3.1.2.1): the client is
 * registered, the redirect URI is one of its own, the scope is what the client may have.
 */
public record AuthorizationRequest(
        String clientId,
        String redirectUri,
        Set<String> scopes,
        String state,
        String nonce,
        String codeChallenge,
        String prompt,
        Integer maxAge,
        String loginHint) {

    public boolean promptNone() {
        return "none".equals(prompt);
    }

    public boolean promptLogin() {
        return "login".equals(prompt);
    }

    /**
     * The same request again, as a link to the authorization endpoint: the way back to the client
     * when its flow expired (the client still waits for this {@code state}), as Keycloak restarts a
     * timed-out login.
     */
    public String again(String authorizationEndpoint) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", redirectUri);
        p.put("scope", Scopes.join(scopes));
        p.put("state", state);
        p.put("nonce", nonce);
        if (codeChallenge != null) {
            p.put("code_challenge", codeChallenge);
            p.put("code_challenge_method", "S256");
        }
        p.put("prompt", prompt);
        p.put("max_age", maxAge == null ? null : maxAge.toString());
        p.put("login_hint", loginHint);
        return AuthorizationResponses.withParams(authorizationEndpoint, p);
    }
}
