package com.meltano.auth.oauth2.token.grant;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.oauth2.authorize.AuthorizationCodes;
import com.meltano.auth.oauth2.authorize.Pkce;
import com.meltano.auth.oauth2.client.GrantTypes;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.oauth2.grant.UserGrant;
import com.meltano.auth.oauth2.token.GrantHandler;
import com.meltano.auth.oauth2.token.TokenRequest;
import com.meltano.auth.oauth2.token.TokenResponse;


/**
 * RFC 6749 section 4.1.3 with PKCE (RFC 7636 section 4.6). The code is marked used in a
 * transaction of its own before anything else is checked, so a failed attempt still burns it;
 * a code used twice revokes its grant and with it the tokens of the first redemption (RFC 6749
 * section 4.1.2, SPEC section 4).
 */
@ApplicationScoped
public class AuthorizationCodeGrant implements GrantHandler {

    @Inject
    AuthorizationCodes codes;

    @Inject
    GrantRepository grants;

    @Inject
    UserTokens tokens;

    @Override
    public String grantType() {
        return GrantTypes.AUTHORIZATION_CODE;
    }

    @Override
    public TokenResponse handle(RegisteredClient client, TokenRequest request) {
        String code = request.required("code");
        String redirectUri = request.param("redirect_uri");
        String verifier = request.param("code_verifier");
        // One transaction: a concurrent redemption waits on the code's row lock until this one has
        // committed, then sees the code used. Failures are returned, not thrown, so that the
        // transaction commits and the code stays burnt; they are thrown after the commit.
        return Outcome.inTransaction(() -> redeem(client, code, redirectUri, verifier));
    }


    private Outcome redeem(RegisteredClient client, String code, String redirectUri, String verifier) {
        AuthorizationCodes.Redemption redemption = codes.redeem(code);
        if (redemption instanceof AuthorizationCodes.Redemption.Replayed replayed) {
            grants.revoke(replayed.grantId(), Instant.now());
            return Outcome.failed(OAuthError.invalidGrant("the authorization code was already used; its tokens are revoked"));
        }
        if (!(redemption instanceof AuthorizationCodes.Redemption.Won won)) {
            return Outcome.failed(OAuthError.invalidGrant("unknown authorization code"));
        }
        AuthorizationCodes.Redeemed c = won.code();
        UserGrant grant = grants.findUserGrant(c.grantId());
        if (grant == null || !grant.clientId().equals(client.clientId())) {
            return Outcome.failed(OAuthError.invalidGrant("the authorization code was issued to another client"));
        }
        if (!c.expiresAt().isAfter(Instant.now())) {
            return Outcome.failed(OAuthError.invalidGrant("the authorization code has expired"));
        }
        if (!c.redirectUri().equals(redirectUri)) {
            return Outcome.failed(OAuthError.invalidGrant("redirect_uri does not match the authorization request"));
        }
        if (c.codeChallenge() != null) {
            if (verifier == null || !Pkce.verify(verifier, c.codeChallenge())) {
                return Outcome.failed(OAuthError.invalidGrant("code_verifier is missing or does not match the code_challenge"));
            }
        } else if (verifier != null) {
            return Outcome.failed(OAuthError.invalidGrant("code_verifier sent for a code issued without a code_challenge"));
        }
        if (!grant.usable(Instant.now())) {
            return Outcome.failed(OAuthError.invalidGrant("the grant is no longer valid"));
        }
        return Outcome.issued(tokens.forCode(client, grant, c.nonce()));
    }
}
