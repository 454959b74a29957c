package com.meltano.auth.audit;

import java.time.Instant;
import java.util.Map;

/**
 * Something worth an audit entry: who (an id, never an email), what, on which target, when. Fired
 * as a CDI event by the features and stored by {@link AuditRecorder}. Details must never hold a
 * secret, a hash or a token.
 */
public record AuditEvent(Instant at, String actor, String action, String target, Map<String, Object> details, boolean aggregated) {

    public static final String TOKEN_ISSUED = "token.issued";

    /** An event recorded with the change that caused it: written in the same transaction. */
    public static AuditEvent of(String actor, String action, String target, Map<String, Object> details) {
        return new AuditEvent(Instant.now(), actor, action, target, details == null ? Map.of() : Map.copyOf(details), false);
    }

    public static AuditEvent of(String actor, String action, String target) {
        return of(actor, action, target, Map.of());
    }

    /**
     * An access token issued (the hot path): counted per (minute, client, subject, scope, grant
     * type) rather than stored one row per token. Firing it returns once the count is durable:
     * inside a transaction it is written in that transaction; outside one the caller waits for the
     * group commit that holds it, and gets {@link AuditUnavailableException} if that failed, so
     * that no token goes out unaudited.
     */
    public static AuditEvent tokenIssued(String subject, String clientId, String grantType, String scope) {
        return new AuditEvent(Instant.now(), subject, TOKEN_ISSUED, clientId,
                Map.of("grant_type", grantType, "client_id", clientId, "scope", scope), true);
    }
}
