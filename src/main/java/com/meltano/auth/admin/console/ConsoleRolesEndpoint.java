package com.meltano.auth.admin.console;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.common.ServiceException;
import com.meltano.auth.rbac.RbacService;
import com.meltano.auth.rbac.RoleName;

/**
 * {@code /admin/roles}: roles and their permissions (SPEC section 11), through the same
 * {@link RbacService} methods, transactions and audit events as {@code /admin/api/roles}.
 */
@Path("/admin/roles")
@Produces(MediaType.TEXT_HTML)
public class ConsoleRolesEndpoint {

    /** Members listed on a role's page; the who-can page and the users page search the rest. */
    static final int MEMBERS_SHOWN = 200;

    @Inject
    ConsoleAdmin admin;

    @Inject
    ConsoleCookies cookies;

    @Inject
    RbacService rbac;

    @GET
    @Operation(hidden = true)
    public Response list(@CookieParam(ConsoleCookies.NOTICE) String notice) {
        return cookies.page(ConsolePages.roles(ConsoleFrame.of(admin, "roles", cookies.notice(notice)), rbac.listRoles()), notice);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response create(@FormParam("csrf") String csrf, @FormParam("name") String name,
            @FormParam("description") String description) {
        admin.requireForm(csrf);
        try {
            RbacService.RoleView role = rbac.createRole(admin.actor(), name, description == null || description.isBlank() ? null : description);
            return cookies.done(rolePage(role.name()), "Role " + role.name() + " created.");
        } catch (ServiceException e) {
            return cookies.refused("/admin/roles", "create", e, ConsoleNotice.echo("create.name", name, "create.description", description));
        }
    }

    @GET
    @Path("{name}")
    @Operation(hidden = true)
    public Response role(@PathParam("name") String name, @CookieParam(ConsoleCookies.NOTICE) String notice) {
        try {
            RbacService.RoleView role = rbac.getRole(name);
            return cookies.page(ConsolePages.role(ConsoleFrame.of(admin, "roles", cookies.notice(notice)), role,
                    rbac.members(name, MEMBERS_SHOWN), builtIn(name)), notice);
        } catch (ServiceException e) {
            return ConsoleErrors.notFound("No role named " + name, "/admin/roles", "All roles");
        }
    }

    @POST
    @Path("{name}/permissions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response permit(@PathParam("name") String name, @FormParam("csrf") String csrf, @FormParam("type") String type,
            @FormParam("context") String context) {
        admin.requireForm(csrf);
        try {
            rbac.addPermission(admin.actor(), name, type, context);
            return cookies.done(rolePage(name), "Added " + type + " on " + context + ".");
        } catch (ServiceException e) {
            return cookies.refused(rolePage(name), "permit", e, ConsoleNotice.echo("permit.type", type, "permit.context", context));
        }
    }

    @POST
    @Path("{name}/permissions/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response unpermit(@PathParam("name") String name, @FormParam("csrf") String csrf, @FormParam("type") String type,
            @FormParam("context") String context) {
        admin.requireForm(csrf);
        try {
            rbac.removePermission(admin.actor(), name, type, context);
            return cookies.done(rolePage(name), "Removed " + type + " on " + context + ".");
        } catch (ServiceException e) {
            return cookies.refused(rolePage(name), "permissions", e, Map.of());
        }
    }

    @GET
    @Path("{name}/delete")
    @Operation(hidden = true)
    public Response confirmDelete(@PathParam("name") String name) {
        try {
            rbac.getRole(name);
        } catch (ServiceException e) {
            return ConsoleErrors.notFound("No role named " + name, "/admin/roles", "All roles");
        }
        return Response.ok(ConsolePages.confirm(ConsoleFrame.of(admin, "roles", ConsoleNotice.NONE), "Delete the role " + name + "?",
                "Its permissions are removed from every user and client holding it, from their next token on."
                        + " This cannot be undone.",
                rolePage(name) + "/delete", "Delete role " + name, rolePage(name))).build();
    }

    @POST
    @Path("{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response delete(@PathParam("name") String name, @FormParam("csrf") String csrf) {
        admin.requireForm(csrf);
        try {
            rbac.deleteRole(admin.actor(), name);
            return cookies.done("/admin/roles", "Role " + name + " deleted.");
        } catch (ServiceException e) {
            return cookies.refused(rolePage(name), "delete", e, Map.of());
        }
    }

    private static boolean builtIn(String name) {
        return RoleName.ADMIN.equals(name) || RoleName.REGULAR.equals(name);
    }

    /** A role's page; valid role names are path-safe ({@link RoleName}), others have no page. */
    private static String rolePage(String name) {
        return RoleName.isValid(name) ? "/admin/roles/" + name : "/admin/roles";
    }
}
