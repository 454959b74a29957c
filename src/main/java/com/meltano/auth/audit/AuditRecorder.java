package com.meltano.auth.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.scheduler.Scheduled;

/**
 * Stores {@link AuditEvent}s. An event fired inside a transaction (an admin change) is written in
 * that transaction, so the change and its record commit or roll back together. Batched events
 * (token issuance, the hot path) and events fired outside a transaction are queued and written in
 * batches every second.
 */
@ApplicationScoped
public class AuditRecorder {

    private static final Logger LOG = Logger.getLogger(AuditRecorder.class);
    private static final String INSERT = "insert into audit_event (occurred_at, actor, action, target, details) values (?, ?, ?, ?, ?)";
    static final int MAX_QUEUE = 100_000;

    @Inject
    EntityManager em;

    @Inject
    TransactionManager tm;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    private final ConcurrentLinkedQueue<AuditEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    void record(@Observes AuditEvent event) {
        if (event.batched()) {
            return; // see recordBatched
        }
        if (inTransaction()) {
            em.createNativeQuery("insert into audit_event (occurred_at, actor, action, target, details) values (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, event.at()).setParameter(2, event.actor()).setParameter(3, event.action())
                    .setParameter(4, event.target()).setParameter(5, details(event)).executeUpdate();
            return;
        }
        enqueue(event);
    }

    /** Batched events are queued only once their transaction committed (at once when there is none). */
    void recordBatched(@Observes(during = TransactionPhase.AFTER_SUCCESS) AuditEvent event) {
        if (event.batched()) {
            enqueue(event);
        }
    }

    private void enqueue(AuditEvent event) {
        if (queued.incrementAndGet() > MAX_QUEUE) {
            queued.decrementAndGet();
            LOG.warn("audit queue full; an event was dropped");
            return;
        }
        queue.add(event);
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushScheduled() {
        flush();
    }

    @PreDestroy
    void onStop() {
        flush();
    }

    /** Writes what is queued in JDBC batches. */
    public synchronized void flush() {
        if (queue.isEmpty()) {
            return;
        }
        List<AuditEvent> batch = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(INSERT)) {
            AuditEvent e;
            while ((e = queue.poll()) != null) {
                queued.decrementAndGet();
                batch.add(e);
                st.setTimestamp(1, Timestamp.from(e.at()));
                st.setString(2, e.actor());
                st.setString(3, e.action());
                st.setString(4, e.target());
                st.setString(5, details(e));
                st.addBatch();
                if (batch.size() == 500) {
                    st.executeBatch();
                    batch.clear();
                }
            }
            st.executeBatch();
        } catch (SQLException ex) {
            LOG.warnf("could not write %d audit events (%s); they are queued again", batch.size(), ex.getSQLState());
            batch.forEach(ev -> {
                queue.add(ev);
                queued.incrementAndGet();
            });
        }
    }

    private boolean inTransaction() {
        try {
            return tm.getStatus() == Status.STATUS_ACTIVE;
        } catch (SystemException e) {
            return false;
        }
    }

    private String details(AuditEvent event) {
        if (event.details().isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(event.details());
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
