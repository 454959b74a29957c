package com.meltano.auth.audit;

import java.util.SortedMap;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.meltano.auth.common.Sql;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Stores {@link AuditEvent}s, never losing one that was acknowledged. An event fired inside a
 * transaction (an admin change, a code or refresh grant) is written in that transaction, so the
 * change and its record commit or roll back together. An issued token outside a transaction
 * (client_credentials, the hot path) goes through the {@link IssuanceGroupCommit}, which the caller
 * waits for. Any other event outside a transaction is written at once in its own.
 */
@ApplicationScoped
public class AuditRecorder {

    private static final String INSERT = "insert into audit_event (occurred_at, actor, action, target, details) values (?1, ?2, ?3, ?4, ?5)";

    @Inject
    Sql db;

    @Inject
    TransactionManager tm;

    @Inject
    ObjectMapper json;

    @Inject
    IssuanceGroupCommit groupCommit;

    void record(@Observes AuditEvent event) {
        if (event.aggregated()) {
            TokenIssuance key = TokenIssuance.of(event);
            if (inTransaction()) {
                addInTransaction(key, TokenIssuance.Tally.one(event.at()));
            } else {
                groupCommit.record(key, event.at());
            }
            return;
        }
        if (inTransaction()) {
            insert(event);
        } else {
            QuarkusTransaction.requiringNew().run(() -> insert(event));
        }
    }

    private void insert(AuditEvent event) {
        db.query(INSERT).bind(1, event.at()).bind(2, event.actor()).bind(3, event.action())
                .bind(4, event.target()).bind(5, details(event)).update();
    }

    private void addInTransaction(TokenIssuance key, TokenIssuance.Tally tally) {
        SortedMap<TokenIssuance, TokenIssuance.Tally> one = new TreeMap<>();
        one.put(key, tally);
        db.withConnection(c -> {
            TokenIssuanceLog.add(c, one, st -> { });
            return null;
        });
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
