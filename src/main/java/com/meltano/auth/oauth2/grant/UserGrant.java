package com.meltano.auth.oauth2.grant;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import com.meltano.auth.common.ScopeArrays;

/**
 * What issuing a user's tokens needs from a grant and its user, read in one query: whether the
 * grant still stands (not revoked, not expired) and the user still exists and is enabled, and
 * whether the user's email is verified (SPEC section 12, {@code MELTANO_AUTH_REQUIRE_VERIFIED_EMAIL}).
 */
public record UserGrant(UUID id, String clientId, UUID userId, Set<String> scopes, String sessionId, Instant authTime,
        Instant expiresAt, boolean revoked, boolean userEnabled, boolean userEmailVerified) {

    /** The columns {@link #of} reads, for a query over {@code oauth_grant g left join app_user u}. */
    public static final String COLUMNS = "g.id, g.client_id, g.user_id, array_to_string(g.scopes, ' '), g.session_id,"
            + " g.auth_time, g.expires_at, g.revoked_at is not null, coalesce(u.enabled, false),"
            + " coalesce(u.email_verified, false)";

    /** Reads the {@link #COLUMNS} starting at {@code offset} of a result row. */
    public static UserGrant of(Object[] row, int offset) {
        return new UserGrant((UUID) row[offset], (String) row[offset + 1], (UUID) row[offset + 2],
                ScopeArrays.fromJoined((String) row[offset + 3]), (String) row[offset + 4], (Instant) row[offset + 5],
                (Instant) row[offset + 6], (Boolean) row[offset + 7], (Boolean) row[offset + 8], (Boolean) row[offset + 9]);
    }

    /** Tokens may be issued: the grant is neither revoked nor expired, its user enabled. */
    public boolean usable(Instant now) {
        return !revoked && expiresAt.isAfter(now) && userId != null && userEnabled;
    }
}
