package com.example.reports;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.meltano.auth.verifier.ContextMatcher;

import io.quarkus.security.Authenticated;

/** 200 when the token allows {@code view:reports} on the report, 403 when not (401 is quarkus-oidc's, before this). */
@Path("/reports")
@Authenticated
public class ReportsResource {

    @Inject
    JsonWebToken jwt;

    @GET
    @Path("{name}")
    @Produces(MediaType.TEXT_PLAIN)
    public Response report(@PathParam("name") String name) {
        // --8<-- [start:quarkus-handler]
        if (!ContextMatcher.allows(permissions(jwt), "view:reports", name)) {
            return Response.status(Response.Status.FORBIDDEN).build();
        }
        // --8<-- [end:quarkus-handler]
        return Response.ok("report " + name + " for " + jwt.getSubject() + "\n").build();
    }

    // --8<-- [start:quarkus-permissions]
    /** The permissions claim comes as a jakarta.json JsonObject; ContextMatcher takes a Map of lists. */
    static Map<String, List<String>> permissions(JsonWebToken jwt) {
        JsonObject claim = jwt.getClaim("permissions");
        Map<String, List<String>> permissions = new HashMap<>();
        if (claim != null) {
            claim.forEach((type, contexts) ->
                    permissions.put(type, contexts.asJsonArray().getValuesAs(JsonString::getString)));
        }
        return permissions;
    }
    // --8<-- [end:quarkus-permissions]
}
