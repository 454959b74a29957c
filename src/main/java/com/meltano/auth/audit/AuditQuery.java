package com.meltano.auth.audit;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Reads the audit log, newest first, by keyset on the id. */
@ApplicationScoped
public class AuditQuery {

    public record Entry(long id, Instant occurredAt, String actor, String action, String target,
            @com.fasterxml.jackson.annotation.JsonRawValue String details) {
    }

    @Inject
    EntityManager em;

    @Inject
    AuditRecorder recorder;

    @Transactional
    public List<Entry> page(Long before, int limit) {
        recorder.flush(); // so that an admin sees what was just issued
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, occurred_at, actor, action, target, details from audit_event"
                + " where id < ?1 order by id desc limit ?2")
                .setParameter(1, before == null ? Long.MAX_VALUE : before).setParameter(2, limit).getResultList();
        return rows.stream().map(r -> new Entry(((Number) r[0]).longValue(), (Instant) r[1], (String) r[2], (String) r[3],
                (String) r[4], (String) r[5])).toList();
    }
}
