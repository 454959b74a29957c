package com.meltano.auth.oauth2.token.grant;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.oauth2.ScopePolicy;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.client.GrantTypes;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.oauth2.grant.ServiceGrant;
import com.meltano.auth.oauth2.token.AccessTokenClaims;
import com.meltano.auth.oauth2.token.GrantHandler;
import com.meltano.auth.oauth2.token.TokenIssuer;
import com.meltano.auth.oauth2.token.TokenRequest;
import com.meltano.auth.oauth2.token.TokenResponse;

/**
 * RFC 6749 section 4.4: a confidential client obtains a token for itself. {@code sub} is the
 * {@code client_id}; roles and permissions are those assigned to the client (service account);
 * scopes about a person are never granted (SPEC section 4).
 */
@ApplicationScoped
public class ClientCredentialsGrant implements GrantHandler {

    @Inject
    TokenIssuer issuer;

    @Inject
    ServiceGrants grants;

    @Inject
    AuthConfig config;

    @Inject
    Event<AuditEvent> audit;

    @Override
    public String grantType() {
        return GrantTypes.CLIENT_CREDENTIALS;
    }

    @Override
    public TokenResponse handle(RegisteredClient client, TokenRequest request) {
        if (client.isPublic()) { // the endpoint checked the grant type; a public client never acts for itself
            throw OAuthError.unauthorizedClient("the client is not allowed the client_credentials grant");
        }
        Set<String> scopes = ScopePolicy.forClientCredentials(client.scopes(), client.adminApi(),
                ScopePolicy.requested(request.param("scope")));
        Duration ttl = config.auth().accessTokenTtl();
        ServiceGrant grant = grants.forClient(client, scopes, Instant.now().plus(ttl));
        TokenIssuer.IssuedToken token = issuer.issue(new AccessTokenClaims(client.clientId(), client.clientId(), scopes,
                grant.id(), null, client.authorities()));
        // returns once the issuance is durably audited; the token is not handed out otherwise
        audit.fire(AuditEvent.tokenIssued(client.clientId(), client.clientId(), GrantTypes.CLIENT_CREDENTIALS, Scopes.join(scopes)));
        return new TokenResponse(token.token(), "Bearer", token.expiresIn(), Scopes.join(scopes), null, null);
    }
}
