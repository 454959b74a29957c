package com.meltano.auth.oauth2.authorize;

import java.util.Set;

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
}
