package com.meltano.auth.admin.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.meltano.auth.admin.Page;
import com.meltano.auth.audit.AuditQuery;

/**
 * {@code /admin/audit}: the audit log newest first (SPEC section 11), filtered by action and by
 * actor, paged by {@link AuditQuery}'s keyset cursor as {@code GET /admin/api/audit}. A filter is
 * a GET form: a filtered page is a link an admin can keep.
 */
@Path("/admin/audit")
@Produces(MediaType.TEXT_HTML)
public class ConsoleAuditEndpoint {

    static final int PAGE_SIZE = 50;

    /** An entry as the page shows it: its details as compact JSON, and the links that filter by its action or actor. */
    public record Row(AuditQuery.Entry entry, String details, String byAction, String byActor) {
    }

    @Inject
    ConsoleAdmin admin;

    @Inject
    ConsoleCookies cookies;

    @Inject
    AuditQuery audit;

    @Inject
    ObjectMapper json;

    @GET
    @Operation(hidden = true)
    public Response audit(@QueryParam("action") String action, @QueryParam("actor") String actor,
            @QueryParam("cursor") String cursor) {
        AuditQuery.Filter filter = new AuditQuery.Filter(trimmed(action), trimmed(actor));
        Page<AuditQuery.Entry> page = Page.of(audit.page(position(cursor), PAGE_SIZE + 1, filter), PAGE_SIZE,
                AuditQuery.Entry::cursor);
        List<Row> rows = page.items().stream().map(e -> new Row(e, compact(e.details()), link(e.action(), filter.actor(), null),
                link(filter.action(), e.actor(), null))).toList();
        String older = page.nextCursor() == null ? null : link(filter.action(), filter.actor(), page.nextCursor());
        return Response.ok(ConsolePages.audit(ConsoleFrame.of(admin, "audit", ConsoleNotice.NONE), rows,
                filter.action() == null ? "" : filter.action(), filter.actor() == null ? "" : filter.actor(), older)).build();
    }

    /** A cursor from a link; one that does not parse (edited by hand) starts from the newest. */
    private static AuditQuery.Position position(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return AuditQuery.Position.parse(cursor);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String trimmed(String s) {
        return s == null ? null : s.strip();
    }

    private static String link(String action, String actor, String cursor) {
        StringBuilder q = new StringBuilder();
        append(q, "action", action);
        append(q, "actor", actor);
        append(q, "cursor", cursor);
        return "/admin/audit" + (q.length() == 0 ? "" : "?" + q);
    }

    private static void append(StringBuilder q, String name, String value) {
        if (value != null && !value.isEmpty()) {
            q.append(q.length() == 0 ? "" : "&").append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    /** Details as one line of JSON without spaces; the stored text when it is not JSON. */
    private String compact(String details) {
        if (details == null || details.isEmpty()) {
            return "";
        }
        try {
            return json.writeValueAsString(json.readTree(details));
        } catch (JsonProcessingException e) {
            return details;
        }
    }
}
