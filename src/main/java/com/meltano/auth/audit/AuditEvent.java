package com.meltano.auth.audit;

import java.time.Instant;
import java.util.Map;

/**
 * Something worth an audit entry: who (an id, never an email), what, on which target, when. Fired
 * as a CDI event by the features and stored by {@link AuditRecorder}. Details must never hold a
 * secret, a hash or a token.
 */
public record AuditEvent(Instant at, String actor, String action, String target, Map<String, Object> details, boolean batched) {

    /** An event recorded with the change that caused it: written in the same transaction. */
    public static AuditEvent of(String actor, String action, String target, Map<String, Object> details) {
        return new AuditEvent(Instant.now(), actor, action, target, details == null ? Map.of() : Map.copyOf(details), false);
    }

    /**
     * A high-volume event of the token path (issuance): queued and written in batches, never a
     * database write on the request itself.
     */
    public static AuditEvent batched(String actor, String action, String target, Map<String, Object> details) {
        return new AuditEvent(Instant.now(), actor, action, target, details == null ? Map.of() : Map.copyOf(details), true);
    }

    public static AuditEvent of(String actor, String action, String target) {
        return of(actor, action, target, Map.of());
    }
}
