package com.meltano.auth.admin;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.meltano.auth.oauth2.client.ClientRegistration;
import com.meltano.auth.oauth2.client.ClientService;
import com.meltano.auth.oauth2.client.ClientView;

/** {@code /admin/api/clients} (SPEC section 9). The secret appears only in the create and rotate responses. */
@Path("/admin/api/clients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "clients")
@SecurityRequirement(name = "bearer")
public class ClientsResource {

    @Inject
    ClientService clients;

    @Inject
    AdminPrincipal principal;

    @POST
    @APIResponse(responseCode = "201", description = "The client; a confidential client's secret is in this answer only")
    @APIResponse(responseCode = "400", description = "Bad input; the error names the field")
    public Response create(ClientRegistration body) {
        ClientRegistration r = body == null ? empty() : body;
        return Response.status(201).entity(clients.create(principal.subject(), r)).header("Cache-Control", "no-store").build();
    }

    @GET
    public Page<ClientView> list(@QueryParam("cursor") String cursor,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200")) @QueryParam("limit") String limit) {
        int n = Page.limit(limit);
        return Page.of(clients.list(cursor == null || cursor.isEmpty() ? null : cursor, n + 1), n, ClientView::clientId);
    }

    @GET
    @Path("{clientId}")
    public ClientView get(@PathParam("clientId") String clientId) {
        return clients.get(clientId);
    }

    @PATCH
    @Path("{clientId}")
    public ClientView update(@PathParam("clientId") String clientId, ClientRegistration body) {
        return clients.update(principal.subject(), clientId, body == null ? empty() : body);
    }

    @DELETE
    @Path("{clientId}")
    public Response delete(@PathParam("clientId") String clientId) {
        clients.delete(principal.subject(), clientId);
        return Response.noContent().build();
    }

    @POST
    @Path("{clientId}/secret")
    public Response rotateSecret(@PathParam("clientId") String clientId) {
        String secret = clients.rotateSecret(principal.subject(), clientId);
        return Response.status(201).entity(Map.of("client_secret", secret)).header("Cache-Control", "no-store").build();
    }

    private static ClientRegistration empty() {
        return new ClientRegistration(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

}
