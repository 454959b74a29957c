package com.meltano.auth.oauth2.token.grant;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import com.meltano.auth.account.UserEntity;
import com.meltano.auth.account.UserRepository;
import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.client.GrantTypes;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.oauth2.grant.GrantEntity;
import com.meltano.auth.oauth2.token.AccessTokenClaims;
import com.meltano.auth.oauth2.token.RefreshTokens;
import com.meltano.auth.oauth2.token.TokenIssuer;
import com.meltano.auth.oauth2.token.TokenResponse;
import com.meltano.auth.oidc.IdTokenIssuer;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.Subject;

/**
 * The tokens of a user's grant, shared by the code and refresh grants: an access token with the
 * user's current roles and permissions, an ID token with {@code openid}, and a new refresh token
 * when the client holds the {@code refresh_token} grant type (SPEC section 4).
 */
@ApplicationScoped
public class UserTokens {

    @Inject
    TokenIssuer accessTokens;

    @Inject
    IdTokenIssuer idTokens;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    RbacRepository rbac;

    @Inject
    UserRepository users;

    @Inject
    Event<AuditEvent> audit;

    /** Runs inside the caller's transaction; refuses a revoked grant or a disabled or deleted user. */
    public TokenResponse issue(RegisteredClient client, GrantEntity grant, Set<String> scopes, String nonce, String grantType) {
        Instant now = Instant.now();
        if (grant.revokedAt != null || !grant.expiresAt.isAfter(now) || grant.userId == null) {
            throw OAuthError.invalidGrant("the grant is no longer valid");
        }
        UserEntity user = users.findById(grant.userId);
        if (user == null || !user.enabled) {
            throw OAuthError.invalidGrant("the grant is no longer valid");
        }
        TokenIssuer.IssuedToken access = accessTokens.issue(new AccessTokenClaims(user.id.toString(), client.clientId(), scopes,
                grant.id, grant.authTime, rbac.authorities(Subject.USER, user.id)));
        String idToken = scopes.contains(Scopes.OPENID)
                ? idTokens.issue(new IdTokenIssuer.IdTokenRequest(user.id, client.clientId(), scopes, grant.authTime, nonce,
                        grant.sessionId, access.token()))
                : null;
        String refresh = client.grantTypes().contains(GrantTypes.REFRESH_TOKEN)
                ? refreshTokens.issue(grant.id, Set.copyOf(grant.scopes), grant.expiresAt)
                : null;
        audit.fire(AuditEvent.batched(user.id.toString(), "token.issued", grant.id.toString(),
                Map.of("grant_type", grantType, "client_id", client.clientId(), "scope", Scopes.join(scopes))));
        return new TokenResponse(access.token(), "Bearer", access.expiresIn(), Scopes.join(scopes), refresh, idToken);
    }
}
