package com.meltano.auth.admin;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.meltano.auth.common.ServiceException;
import com.meltano.auth.rbac.Permission;
import com.meltano.auth.rbac.RbacService;

/** {@code /admin/api/roles} (SPEC section 9). */
@Path("/admin/api/roles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "roles")
@SecurityRequirement(name = "bearer")
public class RolesResource {

    public record CreateRole(String name, String description) {
    }

    public record PermissionBody(String type, String context) {
    }

    @Inject
    RbacService rbac;

    @Inject
    AdminPrincipal principal;

    @POST
    @APIResponse(responseCode = "201", description = "The role")
    @APIResponse(responseCode = "400", description = "Bad input; the error names the field")
    @APIResponse(responseCode = "409", description = "A role with this name exists")
    public Response create(CreateRole body) {
        if (body == null) {
            throw ServiceException.invalid("name", "is required");
        }
        return Response.status(201).entity(rbac.createRole(principal.subject(), body.name(), body.description())).build();
    }

    @GET
    public Map<String, List<RbacService.RoleView>> list() {
        return Map.of("items", rbac.listRoles());
    }

    @GET
    @Path("{name}")
    public RbacService.RoleView get(@PathParam("name") String name) {
        return rbac.getRole(name);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        rbac.deleteRole(principal.subject(), name);
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/permissions")
    @APIResponse(responseCode = "201", description = "The permission")
    @APIResponse(responseCode = "400", description = "Bad input; the error names the field")
    @APIResponse(responseCode = "404", description = "No such role")
    @APIResponse(responseCode = "409", description = "The role already has this permission")
    public Response addPermission(@PathParam("name") String name, PermissionBody body) {
        PermissionBody b = body == null ? new PermissionBody(null, null) : body;
        Permission p = rbac.addPermission(principal.subject(), name, b.type(), b.context());
        return Response.status(201).entity(p).build();
    }

    @DELETE
    @Path("{name}/permissions")
    public Response removePermission(@PathParam("name") String name, @QueryParam("type") String type,
            @QueryParam("context") String context) {
        rbac.removePermission(principal.subject(), name, type, context);
        return Response.noContent().build();
    }
}
