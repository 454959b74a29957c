package com.meltano.auth.oauth2.revoke;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.oauth2.token.AccessTokenVerifier;
import com.meltano.auth.oauth2.token.RefreshTokens;

/**
 * RFC 7009: a refresh token revokes its whole grant (section 2.1: the access tokens of the grant
 * too); an access token goes on the revocation list until it expires. Tokens of another client and
 * unknown tokens are ignored: the answer is the same 200 either way (section 2.2).
 */
@ApplicationScoped
public class Revocation {

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    GrantRepository grants;

    @Inject
    AccessTokenVerifier accessTokens;

    @Inject
    Event<AuditEvent> audit;

    @Transactional
    public void revoke(RegisteredClient client, String token, String hint) {
        if (token == null || token.isEmpty()) {
            return;
        }
        // the hint only decides the order of the lookups (RFC 7009 section 2.1)
        boolean found = "access_token".equals(hint)
                ? revokeAccess(client, token) || revokeRefresh(client, token)
                : revokeRefresh(client, token) || revokeAccess(client, token);
        if (!found) {
            return; // unknown or invalid tokens: nothing to do, same answer
        }
    }

    private boolean revokeRefresh(RegisteredClient client, String token) {
        RefreshTokens.Stored stored = refreshTokens.find(token);
        if (stored == null) {
            return false;
        }
        UUID grantId = stored.grant().id();
        if (stored.grant().clientId().equals(client.clientId())) {
            grants.revoke(grantId, Instant.now());
            audit.fire(AuditEvent.of(client.clientId(), "grant.revoked", grantId.toString(), Map.of("by", "refresh_token")));
        }
        return true;
    }

    private boolean revokeAccess(RegisteredClient client, String token) {
        AccessTokenVerifier.VerifiedToken verified = accessTokens.verify(token);
        if (verified == null) {
            return false;
        }
        if (client.clientId().equals(verified.clientId())) {
            grants.revokeAccessToken(verified.jti(), Instant.ofEpochSecond(verified.expiresAt()));
            audit.fire(AuditEvent.of(client.clientId(), "access_token.revoked", verified.grantId().toString()));
        }
        return true;
    }
}
