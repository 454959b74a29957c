package com.meltano.auth.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.meltano.auth.rbac.WhoCan;

/**
 * {@code GET /admin/api/access?type=&resource=} (SPEC section 11): who can do {@code type} on
 * {@code resource}, the roles with the pattern pair that matched, and the users and clients holding them.
 */
@Path("/admin/api/access")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "access")
@SecurityRequirement(name = "bearer")
public class AccessResource {

    @Inject
    WhoCan whoCan;

    @GET
    public WhoCan.Answer who(@QueryParam("type") String type, @QueryParam("resource") String resource) {
        return whoCan.who(type, resource);
    }
}
