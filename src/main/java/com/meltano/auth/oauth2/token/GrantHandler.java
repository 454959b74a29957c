package com.meltano.auth.oauth2.token;

import com.meltano.auth.oauth2.client.RegisteredClient;

/**
 * One grant type of the token endpoint (RFC 6749 section 4). Implementations are CDI beans chosen
 * by {@link #grantType()}; adding a grant type is adding one class.
 */
public interface GrantHandler {

    String grantType();

    /** Issues tokens for an authenticated client registered for this grant type, or throws {@code OAuthError}. */
    TokenResponse handle(RegisteredClient client, TokenRequest request);
}
