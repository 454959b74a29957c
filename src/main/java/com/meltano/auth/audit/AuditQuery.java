package com.meltano.auth.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.meltano.auth.common.Sql;
import com.meltano.auth.common.SqlStatement;

/**
 * Reads the audit log newest first by time, then id, by keyset. Two kinds of entries share that
 * order: events ({@code audit_event}, at {@code occurred_at}) and counted token issuance
 * ({@code audit_token_issuance}, at the last token it counts, action {@code token.issued}, the
 * count and the first and last instant in its details). Ids come from one sequence, so (time, id)
 * orders both without a tie.
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

    /**
     * Which entries to read: those of one {@code action} and/or one {@code actor} (null: any). The
     * actor of a counted token issuance is its subject, its action {@link AuditEvent#TOKEN_ISSUED}.
     */
    public record Filter(String action, String actor) {
        public static final Filter NONE = new Filter(null, null);

        public Filter {
            action = action == null || action.isEmpty() ? null : action;
            actor = actor == null || actor.isEmpty() ? null : actor;
        }
    }

    private static final String COLUMNS = "select id, at, actor, action, target, details, grant_type, scope, count, first_at from (";
    private static final String EVENTS = "(select id, occurred_at as at, actor, action, target, details, null::text as grant_type,"
            + " null::text as scope, null::bigint as count, null::timestamptz as first_at"
            + " from audit_event where (occurred_at, id) < (?1, ?2)";
    private static final String ISSUANCE = "(select id, last_at, subject, '" + AuditEvent.TOKEN_ISSUED
            + "', client_id, null, grant_type, scope, count, first_at"
            + " from audit_token_issuance where (last_at, id) < (?1, ?2)";

    /**
     * Each side is cut by its own index before the merge: (time, id), or with a filter (action or
     * actor, time, id) (V12), so that a rare actor is found without reading the whole log. The
     * conditions are written only when filtered: a generic plan of "the filter is null or matches"
     * could not use those indexes. A filter on another action leaves out the counted issuance. The
     * result columns are those of {@link #entry}.
     */
    static String pageSql(Filter f) {
        StringBuilder events = new StringBuilder(EVENTS);
        StringBuilder issuance = new StringBuilder(ISSUANCE);
        if (f.action() != null) {
            events.append(" and action = ?4");
        }
        if (f.actor() != null) {
            events.append(" and actor = ?5");
            issuance.append(" and subject = ?5");
        }
        events.append(" order by occurred_at desc, id desc limit ?3)");
        issuance.append(" order by last_at desc, id desc limit ?3)");
        boolean withIssuance = f.action() == null || AuditEvent.TOKEN_ISSUED.equals(f.action());
        return COLUMNS + events + (withIssuance ? " union all " + issuance : "") + ") e order by at desc, id desc limit ?3";
    }

    @Inject
    Sql db;

    @Inject
    ObjectMapper json;

    @Transactional
    public List<Entry> page(Position after, int limit) {
        return page(after, limit, Filter.NONE);
    }

    /** Newest first from {@code after} (null: the newest), only the entries {@code filter} lets through. */
    @Transactional
    public List<Entry> page(Position after, int limit, Filter filter) {
        Position from = after == null ? new Position(Instant.parse("9999-12-31T00:00:00Z"), Long.MAX_VALUE) : after;
        SqlStatement q = db.query(pageSql(filter)).bind(1, from.occurredAt()).bind(2, from.id()).bind(3, limit);
        if (filter.action() != null) {
            q.bind(4, filter.action());
        }
        if (filter.actor() != null) {
            q.bind(5, filter.actor());
        }
        List<Object[]> rows = q.list();
        return rows.stream().map(this::entry).toList();
    }

    /**
     * The entries about one subject, oldest first, for the GDPR export: events it did or that
     * targeted it, and its counted tokens (with their {@code count}).
     */
    @Transactional
    public List<Map<String, Object>> about(String subject) {
        List<Object[]> rows = db.query("select occurred_at, actor, action, target, null::bigint, id from audit_event"
                + " where actor = ?1 or target = ?1"
                + " union all select last_at, subject, '" + AuditEvent.TOKEN_ISSUED + "', client_id, count, id"
                + " from audit_token_issuance where subject = ?1 order by 1, 6").bind(1, subject).list();
        return rows.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("occurred_at", r[0]);
            m.put("actor", r[1]);
            m.put("action", r[2]);
            m.put("target", r[3] == null ? "" : r[3]);
            if (r[4] != null) {
                m.put("count", ((Number) r[4]).longValue());
            }
            return m;
        }).toList();
    }

    private Entry entry(Object[] r) {
        String details = (String) r[5];
        if (r[8] != null) { // a counted token issuance
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("grant_type", r[6]);
            d.put("client_id", r[4]);
            d.put("scope", r[7]);
            d.put("count", ((Number) r[8]).longValue());
            d.put("first_at", ((Instant) r[9]).toString());
            d.put("last_at", ((Instant) r[1]).toString());
            details = write(d);
        }
        return new Entry(((Number) r[0]).longValue(), (Instant) r[1], (String) r[2], (String) r[3], (String) r[4], details);
    }

    private String write(Map<String, Object> details) {
        try {
            return json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
