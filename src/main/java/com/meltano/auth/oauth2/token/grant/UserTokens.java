package com.meltano.auth.oauth2.token.grant;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.client.GrantTypes;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.oauth2.grant.UserGrant;
import com.meltano.auth.oauth2.token.AccessTokenClaims;
import com.meltano.auth.oauth2.token.IdTokens;
import com.meltano.auth.oauth2.token.RefreshTokens;
import com.meltano.auth.oauth2.token.TokenIssuer;
import com.meltano.auth.oauth2.token.TokenResponse;
import com.meltano.auth.pairwise.PairwiseSubjects;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.Subject;

/**
 * The tokens of a user's grant, shared by the code and refresh grants: an access token with the
 * user's current roles and permissions, read at issuance (SPEC section 4), under the {@code sub} the
 * client sees the user by (public or pairwise, SPEC section 12). Callers run it inside
 * their transaction after checking that the grant is usable.
 */
@ApplicationScoped
public class UserTokens {

    @Inject
    TokenIssuer accessTokens;

    @Inject
    IdTokens idTokens;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    RbacRepository rbac;

    @Inject
    Event<AuditEvent> audit;

    @Inject
    PairwiseSubjects subjects;

    /**
     * The response to a code redemption: an ID token when {@code oidc} adds one (with {@code openid},
     * carrying the request's nonce), and a first refresh token when the client holds the {@code refresh_token} grant type.
     */
    public TokenResponse forCode(RegisteredClient client, UserGrant grant, String nonce) {
        Set<String> scopes = grant.scopes();
        TokenIssuer.IssuedToken access = accessToken(client, grant, scopes);
        String idToken = idTokens.idTokenFor(new IdTokens.Request(grant.userId(), client.clientId(), scopes,
                grant.authTime(), nonce, grant.sessionId(), access.token()));
        String refresh = client.grantTypes().contains(GrantTypes.REFRESH_TOKEN)
                ? refreshTokens.issue(grant.id(), scopes, grant.expiresAt())
                : null;
        return respond(client, grant, access, scopes, refresh, idToken, GrantTypes.AUTHORIZATION_CODE);
    }

    /**
     * The response to a refresh: the rotated refresh token and no ID token (OpenID Connect Core
     * section 12.2 lets a refresh response omit it; the client keeps the one from sign-in).
     */
    public TokenResponse forRefresh(RegisteredClient client, UserGrant grant, Set<String> scopes, String rotatedRefreshToken) {
        TokenIssuer.IssuedToken access = accessToken(client, grant, scopes);
        return respond(client, grant, access, scopes, rotatedRefreshToken, null, GrantTypes.REFRESH_TOKEN);
    }

    private TokenIssuer.IssuedToken accessToken(RegisteredClient client, UserGrant grant, Set<String> scopes) {
        return accessTokens.issue(new AccessTokenClaims(subjects.issue(client, grant.userId()), client.clientId(), scopes, grant.id(),
                grant.authTime(), rbac.authorities(Subject.USER, grant.userId())));
    }

    private TokenResponse respond(RegisteredClient client, UserGrant grant, TokenIssuer.IssuedToken access, Set<String> scopes,
            String refresh, String idToken, String grantType) {
        String scope = Scopes.join(scopes);
        audit.fire(AuditEvent.tokenIssued(grant.userId().toString(), client.clientId(), grantType, scope));
        return new TokenResponse(access.token(), "Bearer", access.expiresIn(), scope, refresh, idToken);
    }
}
