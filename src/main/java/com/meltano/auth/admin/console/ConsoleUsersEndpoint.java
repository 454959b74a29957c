package com.meltano.auth.admin.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
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

import com.meltano.auth.account.AccountAdmin;
import com.meltano.auth.account.AccountExport;
import com.meltano.auth.account.EmailVerification;
import com.meltano.auth.account.UserView;
import com.meltano.auth.account.UserViews;
import com.meltano.auth.admin.UserCreation;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.mail.MailSettings;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.RbacService;
import com.meltano.auth.rbac.RoleName;

/**
 * {@code /admin/users}: find, create (with a password, or with mail on invited by mail), enable and
 * disable, set roles and passwords, send the verification link again, sign out, export and erase
 * users (SPEC sections 11 and 12), through the same {@link UserCreation}, {@link AccountAdmin},
 * {@link EmailVerification} and {@link AccountExport} methods, transactions and audit events as
 * {@code /admin/api/users}.
 */
@Path("/admin/users")
@Produces(MediaType.TEXT_HTML)
public class ConsoleUsersEndpoint {

    /** Users per page of the list: a keyset page, as cheap at the 100,000th user as at the first. */
    public static final int PAGE_SIZE = 50;

    /** A role offered as a checkbox, checked when the user (or the new user) holds it manually. */
    public record RoleChoice(String name, boolean checked) {
    }

    @Inject
    ConsoleAdmin admin;

    @Inject
    ConsoleCookies cookies;

    @Inject
    UserViews views;

    @Inject
    UserCreation creation;

    @Inject
    EmailVerification verification;

    @Inject
    MailSettings mail;

    @Inject
    AccountAdmin accounts;

    @Inject
    AccountExport exports;

    @Inject
    RbacService rbac;

    @GET
    @Operation(hidden = true)
    public Response list(@QueryParam("email") String email, @QueryParam("after") String after,
            @CookieParam(ConsoleCookies.NOTICE) String notice) {
        String prefix = email == null || email.isBlank() ? null : email.trim();
        String cursor = after == null || after.isEmpty() ? null : after;
        List<UserViews.Summary> found = views.search(prefix, cursor, PAGE_SIZE + 1);
        String first = "/admin/users" + (prefix == null ? "" : "?email=" + query(prefix));
        String next = null;
        if (found.size() > PAGE_SIZE) {
            found = found.subList(0, PAGE_SIZE);
            next = first + (prefix == null ? "?" : "&") + "after=" + query(found.get(PAGE_SIZE - 1).cursor());
        }
        ConsoleNotice shown = cookies.notice(notice);
        // a new user gets regular unless the admin says otherwise; after a refused creation, what was ticked
        boolean refusedCreation = !shown.ok() && shown.field() != null && shown.field().startsWith("create");
        Set<String> checked = refusedCreation ? Set.copyOf(Arrays.asList(shown.typed("create.roles").split(",")))
                : Set.of(RoleName.REGULAR);
        return cookies.page(ConsolePages.users(ConsoleFrame.of(admin, "users", shown), prefix == null ? "" : prefix,
                cursor == null ? null : first, found, next, choices(checked), mail.on()), notice);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response create(@FormParam("csrf") String csrf, @FormParam("email") String email, @FormParam("roles") List<String> roles,
            @FormParam("password") String password, @FormParam("invite") String invite) {
        admin.requireForm(csrf);
        List<String> chosen = roles == null ? List.of() : roles;
        boolean invited = "true".equals(invite);
        try {
            UserView user = creation.create(admin.actor(), email, password == null || password.isEmpty() ? null : password, chosen,
                    invited);
            return cookies.done(userPage(user.id()), "User " + user.email()
                    + (invited ? " created and invited by mail to choose a password." : " created."));
        } catch (ServiceException e) {
            // what was typed comes back, but never the password
            return refused("/admin/users", "create", e, ConsoleNotice.echo("create.email", email, "create.roles", String.join(",", chosen),
                    "create.invite", invited ? "true" : null));
        }
    }

    @GET
    @Path("{id}")
    @Operation(hidden = true)
    public Response user(@PathParam("id") String id, @CookieParam(ConsoleCookies.NOTICE) String notice) {
        return withUser(id, user -> userPage(user, notice));
    }

    private Response userPage(UserView user, String notice) {
        Set<String> manual = user.roleAssignments().stream().filter(a -> a.source().equals(RbacRepository.MANUAL))
                .map(RbacRepository.Assignment::role).collect(Collectors.toSet());
        List<RbacRepository.Assignment> mapped = user.roleAssignments().stream()
                .filter(a -> !a.source().equals(RbacRepository.MANUAL)).toList();
        return cookies.page(ConsolePages.user(ConsoleFrame.of(admin, "users", cookies.notice(notice)), user, choices(manual), mapped,
                mail.on()), notice);
    }

    @POST
    @Path("{id}/enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response enable(@PathParam("id") String id, @FormParam("csrf") String csrf) {
        return setEnabled(id, csrf, true);
    }

    @GET
    @Path("{id}/disable")
    @Operation(hidden = true)
    public Response confirmDisable(@PathParam("id") String id) {
        return withUser(id, user -> confirm(user, "Disable " + user.email() + "?",
                "They can no longer sign in, and every application they signed in to loses its tokens."
                        + " You can enable the account again later; the applications then need a new sign-in.",
                "disable", "Disable " + user.email()));
    }

    @POST
    @Path("{id}/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response disable(@PathParam("id") String id, @FormParam("csrf") String csrf) {
        return setEnabled(id, csrf, false);
    }

    private Response setEnabled(String id, String csrf, boolean enabled) {
        return change(id, csrf, "state", userId -> "User " + accounts.update(admin.actor(), userId,
                new AccountAdmin.UserChanges(enabled, null, null)).email() + (enabled ? " enabled." : " disabled."));
    }

    @POST
    @Path("{id}/roles")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response roles(@PathParam("id") String id, @FormParam("csrf") String csrf, @FormParam("roles") List<String> roles) {
        return change(id, csrf, "roles", userId -> "Roles of " + accounts.replaceRoles(admin.actor(), userId,
                roles == null ? List.of() : roles).email() + " saved.");
    }

    @POST
    @Path("{id}/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response password(@PathParam("id") String id, @FormParam("csrf") String csrf, @FormParam("password") String password) {
        // the notice names the user, never the password
        return change(id, csrf, "reset", userId -> "New password set for " + accounts.update(admin.actor(), userId,
                new AccountAdmin.UserChanges(null, password == null ? "" : password, null)).email()
                + "; they were signed out everywhere.");
    }

    @POST
    @Path("{id}/verification")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response resendVerification(@PathParam("id") String id, @FormParam("csrf") String csrf) {
        return change(id, csrf, "verify", userId -> {
            verification.resendByAdmin(admin.actor(), userId);
            return "A new verification link was mailed to " + views.get(userId).email() + ".";
        });
    }

    @GET
    @Path("{id}/sign-out")
    @Operation(hidden = true)
    public Response confirmSignOut(@PathParam("id") String id) {
        return withUser(id, user -> confirm(user, "Sign " + user.email() + " out everywhere?",
                "Every browser session of this user ends, and every application they signed in to loses its tokens,"
                        + " offline ones included. The account stays enabled: they can sign in again.",
                "sign-out", "Sign out everywhere"));
    }

    @POST
    @Path("{id}/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response signOut(@PathParam("id") String id, @FormParam("csrf") String csrf) {
        return change(id, csrf, "signout", userId -> {
            accounts.signOutEverywhere(admin.actor(), userId);
            return "Signed out everywhere.";
        });
    }

    /** Everything stored about the user, as the admin API's export, downloaded as a file. */
    @GET
    @Path("{id}/export")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response export(@PathParam("id") String id) {
        UUID userId = uuid(id);
        AccountExport.Export export;
        try {
            export = exports.export(userId);
        } catch (ServiceException e) {
            return notFound();
        }
        return Response.ok(export, MediaType.APPLICATION_JSON_TYPE)
                .header("Content-Disposition", "attachment; filename=\"meltano-auth-user-" + userId + ".json\"")
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("{id}/erase")
    @Operation(hidden = true)
    public Response confirmErase(@PathParam("id") String id, @CookieParam(ConsoleCookies.NOTICE) String notice) {
        return withUser(id, user -> cookies.page(ConsolePages.erase(ConsoleFrame.of(admin, "users", cookies.notice(notice)), user),
                notice));
    }

    @POST
    @Path("{id}/erase")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response erase(@PathParam("id") String id, @FormParam("csrf") String csrf, @FormParam("email") String email) {
        admin.requireForm(csrf);
        UUID userId = uuid(id);
        try {
            accounts.deleteConfirmed(admin.actor(), userId, email);
            return cookies.done("/admin/users", "User " + email.trim() + " erased.");
        } catch (ServiceException e) {
            return refused(userPage(userId) + "/erase", "erase", e, ConsoleNotice.echo("erase.email", email));
        }
    }

    /**
     * A form of a user's page: checks the form token, runs {@code change} (which returns the notice
     * of success), and goes back to the user's page with it, or with the refusal next to {@code form}.
     */
    private Response change(String id, String csrf, String form, Function<UUID, String> change) {
        admin.requireForm(csrf);
        UUID userId = uuid(id);
        try {
            return cookies.done(userPage(userId), change.apply(userId));
        } catch (ServiceException e) {
            return refused(userPage(userId), form, e, Map.of());
        }
    }

    /** A page about an existing user, or the console's 404 page. */
    private Response withUser(String id, Function<UserView, Response> page) {
        UserView user = find(id);
        return user == null ? notFound() : page.apply(user);
    }

    private Response confirm(UserView user, String question, String consequence, String action, String label) {
        String page = userPage(user.id());
        return Response.ok(ConsolePages.confirm(ConsoleFrame.of(admin, "users", ConsoleNotice.NONE), question, consequence,
                page + "/" + action, label, page)).build();
    }

    /**
     * A refusal shown next to the form's field: {@code roles[2]} is the roles field; a user gone
     * meanwhile (erased in another tab) goes back to the list.
     */
    private Response refused(String location, String form, ServiceException e, Map<String, String> typed) {
        if (e.kind() == ServiceException.Kind.NOT_FOUND) {
            return cookies.refused("/admin/users", "list", e, Map.of());
        }
        String field = e.field() == null ? null : e.field().replaceFirst("\\[\\d+]$", "");
        return cookies.refused(location, form, new ServiceException(e.kind(), field, e.getMessage()), typed);
    }

    private List<RoleChoice> choices(Set<String> checked) {
        return rbac.roleNames().stream().map(name -> new RoleChoice(name, checked.contains(name))).toList();
    }

    /** The user, or null for an id that names nobody (malformed, or erased). */
    private UserView find(String id) {
        try {
            return views.get(uuid(id));
        } catch (ServiceException e) {
            return null;
        }
    }

    /** A malformed id names nobody: the services answer it as an unknown user. */
    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return new UUID(0, 0);
        }
    }

    private static Response notFound() {
        return ConsoleErrors.notFound("No such user", "/admin/users", "All users");
    }

    private static String userPage(UUID id) {
        return "/admin/users/" + id;
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
