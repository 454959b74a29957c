package com.meltano.auth.oauth2.token.grant;

import java.time.Instant;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.oauth2.ScopePolicy;
import com.meltano.auth.oauth2.client.GrantTypes;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.oauth2.grant.UserGrant;
import com.meltano.auth.oauth2.token.GrantHandler;
import com.meltano.auth.oauth2.token.RefreshTokens;
import com.meltano.auth.oauth2.token.TokenRequest;
import com.meltano.auth.oauth2.token.TokenResponse;


/**
 * RFC 6749 section 6 with rotation (RFC 9700 section 4.14.2): each refresh token works once; a
 * second use is a replay and revokes the whole grant, newest refresh token included. The scope may
 * narrow, never widen. With {@code MELTANO_AUTH_REQUIRE_VERIFIED_EMAIL} (SPEC section 12) an account
 * whose email is not verified gets no tokens here either; the refresh token stays valid for when it is.
 */
@ApplicationScoped
public class RefreshTokenGrant implements GrantHandler {

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    GrantRepository grants;

    @Inject
    UserTokens tokens;

    @Inject
    AuthConfig config;

    @Override
    public String grantType() {
        return GrantTypes.REFRESH_TOKEN;
    }

    @Override
    public TokenResponse handle(RegisteredClient client, TokenRequest request) {
        String token = request.required("refresh_token");
        Set<String> requested = ScopePolicy.requested(request.param("scope"));
        return Outcome.inTransaction(() -> rotate(client, token, requested));
    }


    private Outcome rotate(RegisteredClient client, String token, Set<String> requested) {
        RefreshTokens.Stored stored = refreshTokens.find(token);
        if (stored == null) {
            return Outcome.failed(OAuthError.invalidGrant("unknown refresh token"));
        }
        UserGrant grant = stored.grant();
        if (!grant.clientId().equals(client.clientId())) {
            return Outcome.failed(OAuthError.invalidGrant("the refresh token was issued to another client"));
        }
        Instant now = Instant.now();
        if (stored.expired(now)) {
            return Outcome.failed(OAuthError.invalidGrant("the refresh token has expired"));
        }
        if (!grant.usable(now)) {
            return Outcome.failed(OAuthError.invalidGrant("the grant is no longer valid"));
        }
        if (config.authentication() && config.auth().requireVerifiedEmail() && !grant.userEmailVerified()) {
            return Outcome.failed(OAuthError.invalidGrant("the account's email address is not verified"));
        }
        // checked before the token is used up: a refused request leaves it valid (RFC 6749 section 6)
        Set<String> scopes;
        try {
            scopes = ScopePolicy.forRefresh(stored.scopes(), requested);
        } catch (OAuthError e) {
            return Outcome.failed(e);
        }
        String successor = refreshTokens.rotate(stored);
        if (successor == null) {
            grants.revoke(grant.id(), now);
            return Outcome.failed(OAuthError.invalidGrant("the refresh token was already used; the grant is revoked"));
        }
        return Outcome.issued(tokens.forRefresh(client, grant, scopes, successor));
    }
}
