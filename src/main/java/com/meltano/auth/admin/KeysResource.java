package com.meltano.auth.admin;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.meltano.auth.keys.KeyRotation;

/** {@code POST /admin/api/keys/rotate} (SPEC section 9): 202, a new key staged, or active at once. */
@Path("/admin/api/keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({ MediaType.APPLICATION_JSON, MediaType.WILDCARD })
@Tag(name = "keys")
@SecurityRequirement(name = "bearer")
public class KeysResource {

    public record RotateBody(Boolean activateNow) {
    }

    @Inject
    KeyRotation rotation;

    @Inject
    AdminPrincipal principal;

    @POST
    @Path("rotate")
    public Response rotate(RotateBody body) {
        boolean now = body != null && Boolean.TRUE.equals(body.activateNow());
        List<KeyRotation.NewKey> keys = rotation.rotate(principal.subject(), now);
        return Response.status(202).entity(Map.of("keys", keys)).build();
    }
}
