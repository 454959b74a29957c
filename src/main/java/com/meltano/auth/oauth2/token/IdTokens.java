package com.meltano.auth.oauth2.token;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * The ID token of a token response (OpenID Connect Core 1.0 section 3.1.3.3), added by the
 * {@code oidc} package over the OAuth 2.0 grants as fosite's OpenID handler composes over its
 * OAuth2 one: the grant handlers know when a user's tokens are issued, {@code oidc} knows whether
 * an ID token belongs in the response (the {@code openid} scope) and what it contains.
 */
public interface IdTokens {

    /** What an ID token may be made of: the grant's user, client, scopes and session, and the request's nonce. */
    record Request(UUID userId, String clientId, Set<String> scopes, Instant authTime, String nonce, String sid,
            String accessToken) {
        @Override
        public String toString() {
            return "IdTokens.Request[" + clientId + "]"; // never the access token
        }
    }

    /** @return the signed ID token, or null when none belongs in the response (no {@code openid} scope) */
    String idTokenFor(Request request);
}
