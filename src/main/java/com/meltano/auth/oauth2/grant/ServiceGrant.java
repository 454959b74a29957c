package com.meltano.auth.oauth2.grant;

import java.time.Instant;
import java.util.UUID;

/**
 * The grant behind a client's own ({@code client_credentials}, RFC 6749 section 4.4) tokens for one
 * scope set: what a token needs to name its grant and how long the grant may be reused.
 */
public record ServiceGrant(UUID id, Instant expiresAt) {
}
