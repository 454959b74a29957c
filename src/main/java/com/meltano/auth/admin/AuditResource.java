package com.meltano.auth.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.meltano.auth.audit.AuditQuery;
import com.meltano.auth.common.ServiceException;

/** {@code GET /admin/api/audit}: newest first (SPEC section 9), optionally of one {@code action} and/or {@code actor}. */
@Path("/admin/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
@SecurityRequirement(name = "bearer")
public class AuditResource {

    @Inject
    AuditQuery audit;

    @GET
    public Page<AuditQuery.Entry> list(@QueryParam("cursor") String cursor,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200")) @QueryParam("limit") String limit,
            @QueryParam("action") String action, @QueryParam("actor") String actor) {
        int n = Page.limit(limit);
        AuditQuery.Position after = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = AuditQuery.Position.parse(cursor);
            } catch (RuntimeException e) {
                throw ServiceException.invalid("cursor", "is not a valid cursor");
            }
        }
        return Page.of(audit.page(after, n + 1, new AuditQuery.Filter(action, actor)), n, AuditQuery.Entry::cursor);
    }
}
