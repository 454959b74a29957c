package com.meltano.auth.oauth2.grant;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A grant (SPEC section 4): what a subject allowed a client, and the one place revocation acts on.
 * Every token names its grant; a revoked or deleted grant invalidates all of them. A copy of its
 * {@code oauth_grant} row, read and written by {@link GrantRepository}.
 */
public class GrantEntity {

    public UUID id;

    public String clientId;

    /** Set for grants of a user; null for a client acting for itself. */
    public UUID userId;

    public String subject;

    public List<String> scopes;

    public String sessionId;

    public Instant authTime;

    public Instant createdAt;

    public Instant expiresAt;

    public Instant revokedAt;

    /** Granted {@code offline_access}: its refresh tokens survive the end of the browser session. */
    public boolean offline;
}
