package com.meltano.auth.admin.console;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.admin.Page;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.oauth2.client.ClientService;
import com.meltano.auth.oauth2.client.ClientView;
import com.meltano.auth.oauth2.client.GrantTypes;
import com.meltano.auth.rbac.RbacService;

/**
 * {@code /admin/clients}: registered clients (SPEC section 11), through the same
 * {@link ClientService} methods, transactions and audit events as {@code /admin/api/clients}. A
 * new secret (registration, rotation) is shown once, on the client's page that answers the form,
 * carried there by {@link ConsoleSecretCookies}.
 */
@Path("/admin/clients")
@Produces(MediaType.TEXT_HTML)
public class ConsoleClientsEndpoint {

    static final int PAGE_SIZE = 50;
    /** Client ids are {@code [A-Za-z0-9._-]}: such an id is a path segment as it is. */
    private static final Pattern PATH_SAFE = Pattern.compile("[A-Za-z0-9._-]{3,64}");

    /** The fields of the register and edit forms, as posted (a checkbox: present or absent). */
    public static class Fields {
        @FormParam("csrf")
        String csrf;
        @FormParam("client_id")
        String clientId;
        @FormParam("name")
        String name;
        @FormParam("redirect_uris")
        String redirectUris;
        @FormParam("post_logout_redirect_uris")
        String postLogoutRedirectUris;
        @FormParam("grant_types")
        List<String> grantTypes;
        @FormParam("token_endpoint_auth_method")
        String authMethod;
        @FormParam("scopes")
        List<String> scopes;
        @FormParam("roles")
        List<String> roles;
        @FormParam("first_party")
        String firstParty;
        @FormParam("admin_api")
        String adminApi;
        @FormParam("enabled")
        String enabled;
        @FormParam("subject_type")
        String subjectType;
        @FormParam("sector_identifier")
        String sectorIdentifier;

        ConsoleClientForm form(String form, String clientId) {
            return ConsoleClientForm.posted(form, clientId, name, redirectUris, postLogoutRedirectUris, grantTypes, authMethod,
                    scopes, roles, firstParty, adminApi, enabled, subjectType, sectorIdentifier);
        }
    }

    @Inject
    ConsoleAdmin admin;

    @Inject
    ConsoleCookies cookies;

    @Inject
    ConsoleSecretCookies secrets;

    @Inject
    ClientService clients;

    @Inject
    RbacService rbac;

    @GET
    @Operation(hidden = true)
    public Response list(@QueryParam("after") String after, @CookieParam(ConsoleCookies.NOTICE) String notice) {
        ConsoleNotice n = cookies.notice(notice);
        Page<ClientView> page = Page.of(clients.list(after == null || after.isEmpty() ? null : after, PAGE_SIZE + 1), PAGE_SIZE,
                ClientView::clientId);
        return cookies.page(ConsolePages.clients(ConsoleFrame.of(admin, "clients", n), page.items(), page.nextCursor(),
                ConsoleClientForm.typedOr("register", n, ConsoleClientForm.blank("register", n)), choices()), notice);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response register(@BeanParam Fields posted) {
        admin.requireForm(posted.csrf);
        ConsoleClientForm form = posted.form("register", posted.clientId);
        ClientView created;
        try {
            created = clients.create(admin.actor(), form.registration(true));
        } catch (ServiceException e) {
            return cookies.refused("/admin/clients", "register", form.forField(e), form.echo());
        }
        String page = clientPage(created.clientId());
        if (created.clientSecret() == null) {
            return cookies.done(page, "Client " + created.name() + " registered: a public client, without a secret.");
        }
        return secrets.withSecret(cookies.done(page, "Client " + created.name() + " registered."), page, created.clientId(),
                created.clientSecret());
    }

    @GET
    @Path("{clientId}")
    @Operation(hidden = true)
    public Response client(@PathParam("clientId") String clientId, @CookieParam(ConsoleCookies.NOTICE) String notice,
            @CookieParam(ConsoleSecretCookies.SECRET) String secretCookie) {
        ClientView client;
        try {
            client = clients.get(clientId);
        } catch (ServiceException e) {
            return ConsoleErrors.notFound("No client with id " + clientId, "/admin/clients", "All clients");
        }
        ConsoleNotice n = cookies.notice(notice);
        String secret = secrets.secret(secretCookie, client.clientId());
        Response page = cookies.page(ConsolePages.client(ConsoleFrame.of(admin, "clients", n), client, secret,
                ConsoleClientForm.typedOr("edit", n, ConsoleClientForm.of("edit", n, client)), choices()), notice);
        return secretCookie == null ? page : secrets.clearing(page, clientPage(client.clientId()));
    }

    @POST
    @Path("{clientId}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response update(@PathParam("clientId") String clientId, @BeanParam Fields posted) {
        admin.requireForm(posted.csrf);
        ConsoleClientForm form = posted.form("edit", clientId);
        try {
            boolean wasPublic = GrantTypes.NONE.equals(clients.get(clientId).tokenEndpointAuthMethod());
            ClientView updated = clients.update(admin.actor(), clientId, form.registration(false));
            String page = clientPage(clientId);
            if (updated.clientSecret() != null) { // made confidential: its first secret, shown once
                return secrets.withSecret(cookies.done(page, "Client " + updated.name() + " saved. It is confidential now: its"
                        + " secret is below, shown once, and its tokens were revoked."), page, clientId, updated.clientSecret());
            }
            boolean madePublic = !wasPublic && GrantTypes.NONE.equals(updated.tokenEndpointAuthMethod());
            return cookies.done(page, "Client " + updated.name() + " saved." + (madePublic
                    ? " It is public now: its secret no longer works, and its tokens were revoked." : ""));
        } catch (ServiceException e) {
            return cookies.refused(clientPage(clientId), "edit", form.forField(e), form.echo());
        }
    }

    @GET
    @Path("{clientId}/secret")
    @Operation(hidden = true)
    public Response confirmRotate(@PathParam("clientId") String clientId) {
        return confirm(clientId, "Rotate the secret of " + clientId + "?",
                "A new secret is made and shown once. The old secret stops working at once, and every token and"
                        + " refresh token the client holds is revoked: update the client's configuration right after.",
                "/secret", "Rotate secret");
    }

    @POST
    @Path("{clientId}/secret")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response rotate(@PathParam("clientId") String clientId, @FormParam("csrf") String csrf) {
        admin.requireForm(csrf);
        String page = clientPage(clientId);
        try {
            String secret = clients.rotateSecret(admin.actor(), clientId);
            return secrets.withSecret(cookies.done(page, "New secret made; the old one no longer works."), page, clientId, secret);
        } catch (ServiceException e) {
            return cookies.refusedAction(page, "secret", e); // a public client has no secret
        }
    }

    @GET
    @Path("{clientId}/delete")
    @Operation(hidden = true)
    public Response confirmDelete(@PathParam("clientId") String clientId) {
        return confirm(clientId, "Delete the client " + clientId + "?",
                "It can no longer sign anyone in or obtain tokens, and every token and refresh token it holds is revoked."
                        + " This cannot be undone.",
                "/delete", "Delete client " + clientId);
    }

    @POST
    @Path("{clientId}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response delete(@PathParam("clientId") String clientId, @FormParam("csrf") String csrf) {
        admin.requireForm(csrf);
        try {
            clients.delete(admin.actor(), clientId);
            return cookies.done("/admin/clients", "Client " + clientId + " deleted.");
        } catch (ServiceException e) {
            return cookies.refusedAction(clientPage(clientId), "delete", e);
        }
    }

    private Response confirm(String clientId, String question, String consequence, String action, String label) {
        try {
            clients.get(clientId);
        } catch (ServiceException e) {
            return ConsoleErrors.notFound("No client with id " + clientId, "/admin/clients", "All clients");
        }
        String page = clientPage(clientId);
        return Response.ok(ConsolePages.confirm(ConsoleFrame.of(admin, "clients", ConsoleNotice.NONE), question, consequence,
                page + action, label, page)).build();
    }

    private ConsoleClientForm.Choices choices() {
        return ConsoleClientForm.Choices.of(rbac.listRoles().stream().map(RbacService.RoleView::name).toList());
    }

    /** A client's page; ids that are not path-safe have none (the service would not find them). */
    private static String clientPage(String clientId) {
        return clientId != null && PATH_SAFE.matcher(clientId).matches() ? "/admin/clients/" + clientId : "/admin/clients";
    }
}
