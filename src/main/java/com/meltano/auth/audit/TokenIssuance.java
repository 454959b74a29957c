package com.meltano.auth.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;

/**
 * The aggregation key of issued tokens: one audit row per (minute, client, subject, scope, grant
 * type). Ordered, so that every writer locks rows in the same order (no deadlock between the group
 * commits of two replicas).
 */
record TokenIssuance(Instant minute, String clientId, String subject, String scope, String grantType)
        implements Comparable<TokenIssuance> {

    private static final Comparator<TokenIssuance> ORDER = Comparator.comparing(TokenIssuance::minute)
            .thenComparing(TokenIssuance::clientId).thenComparing(TokenIssuance::subject)
            .thenComparing(TokenIssuance::scope).thenComparing(TokenIssuance::grantType);

    static TokenIssuance of(AuditEvent event) {
        return new TokenIssuance(event.at().truncatedTo(ChronoUnit.MINUTES), (String) event.details().get("client_id"),
                event.actor(), (String) event.details().get("scope"), (String) event.details().get("grant_type"));
    }

    @Override
    public int compareTo(TokenIssuance other) {
        return ORDER.compare(this, other);
    }

    /** How many tokens of one key a batch holds, and the first and last instant among them. */
    record Tally(long count, Instant firstAt, Instant lastAt) {

        static Tally one(Instant at) {
            return new Tally(1, at, at);
        }

        Tally plus(Tally other) {
            return new Tally(count + other.count, firstAt.isBefore(other.firstAt) ? firstAt : other.firstAt,
                    lastAt.isAfter(other.lastAt) ? lastAt : other.lastAt);
        }
    }
}
