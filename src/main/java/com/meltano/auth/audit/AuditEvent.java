package com.meltano.auth.audit;

import java.time.Instant;
import java.util.Map;

/**
 * Something worth an audit entry: who (an id, never an email), what, on which target, when. Fired
 * as a CDI event by the features and stored by {@link AuditRecorder}. Details must never hold a
 * secret, a hash or a token.
 */
public record AuditEvent(Instant at, String actor, String action, String target, Map<String, Object> details) {

    public static AuditEvent of(String actor, String action, String target, Map<String, Object> details) {
        return new AuditEvent(Instant.now(), actor, action, target, details == null ? Map.of() : Map.copyOf(details));
    }

    public static AuditEvent of(String actor, String action, String target) {
        return of(actor, action, target, Map.of());
    }
}
