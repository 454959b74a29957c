package com.meltano.auth.oauth2.token;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import com.meltano.auth.rbac.Authorities;

/** What goes into an access token (SPEC section 7), before serialization and signing. */
public record AccessTokenClaims(
        String subject,
        String clientId,
        Set<String> scopes,
        UUID grantId,
        Instant authTime,
        Authorities authorities) {
}
