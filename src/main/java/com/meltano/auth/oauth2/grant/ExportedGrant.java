package com.meltano.auth.oauth2.grant;

import java.time.Instant;
import java.util.UUID;

/**
 * A user's grant as the GDPR export shows it (article 15): which client holds it, for which scope,
 * and whether it still stands; never a token or a hash.
 */
public record ExportedGrant(UUID id, String clientId, String scope, Instant createdAt, Instant expiresAt, boolean revoked) {
}
