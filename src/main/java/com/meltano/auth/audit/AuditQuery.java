package com.meltano.auth.audit;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * Reads the audit log newest first by time ({@code occurred_at}, then id), by keyset: events of
 * the token path are written in batches, so ids alone do not follow time.
 */
@ApplicationScoped
public class AuditQuery {

    public record Entry(long id, Instant occurredAt, String actor, String action, String target,
            @JsonRawValue String details) {

        /** Opaque cursor: the position after this entry. */
        @JsonIgnore
        public String cursor() {
            return occurredAt.getEpochSecond() + "." + occurredAt.getNano() + "." + id;
        }
    }

    /** A position in the log, parsed from {@link Entry#cursor()}. */
    public record Position(Instant occurredAt, long id) {
        public static Position parse(String cursor) {
            String[] parts = cursor.split("\\.");
            if (parts.length != 3) {
                throw new IllegalArgumentException("malformed cursor");
            }
            return new Position(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), Long.parseLong(parts[2]));
        }
    }

    @Inject
    EntityManager em;

    @Inject
    AuditRecorder recorder;

    @Transactional
    public List<Entry> page(Position after, int limit) {
        recorder.flush(); // so that an admin sees what was just issued
        Position from = after == null ? new Position(Instant.parse("9999-12-31T00:00:00Z"), Long.MAX_VALUE) : after;
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, occurred_at, actor, action, target, details from audit_event"
                + " where (occurred_at, id) < (?1, ?2) order by occurred_at desc, id desc limit ?3")
                .setParameter(1, from.occurredAt()).setParameter(2, from.id()).setParameter(3, limit).getResultList();
        return rows.stream().map(r -> new Entry(((Number) r[0]).longValue(), (Instant) r[1], (String) r[2], (String) r[3],
                (String) r[4], (String) r[5])).toList();
    }
}
