package com.meltano.auth.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.meltano.auth.keys.KeyRotation;

/**
 * {@code POST /admin/api/keys/rotate} (SPEC section 9): 202 {@code {kid, state, activates_at}} of the
 * access tokens' new key, which every replica publishes at once and signs with from
 * {@code activates_at}: after the staging period, or with {@code activate_now} after a short fixed
 * delay. {@code keys} lists the new key of each algorithm in use (ID tokens are RS256).
 */
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
    @APIResponse(responseCode = "202", description = "The new keys, published now, signing from activates_at")
    @APIResponse(responseCode = "400", description = "Bad input; the error names the field")
    public Response rotate(RotateBody body) {
        boolean now = body != null && Boolean.TRUE.equals(body.activateNow());
        return Response.status(202).entity(KeyRotation.Rotated.of(rotation.rotate(principal.subject(), now))).build();
    }
}
