package com.meltano.auth.admin;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.meltano.auth.account.AccountAdmin;
import com.meltano.auth.account.AccountExport;
import com.meltano.auth.account.Email;
import com.meltano.auth.account.EmailVerification;
import com.meltano.auth.account.UserViews;
import com.meltano.auth.account.UserView;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.pairwise.PairwiseSubjects;

/**
 * {@code /admin/api/users} (SPEC section 9), with SPEC section 12's additions: the lookup by a
 * pairwise {@code sub} and {@code client_id}, the invitation of a new user by mail, and the
 * verification link sent again.
 */
@Path("/admin/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "users")
@SecurityRequirement(name = "bearer")
// the scheme every admin resource requires, declared once for the OpenAPI document (AdminGuard checks it)
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "An access token of this server with the admin scope")
public class UsersResource {

    public record CreateUser(String email, String password, List<String> roles,
            @Schema(description = "Invite by mail instead of setting a password (needs mail; leave password out):"
                    + " the user gets a link, valid 7 days, to choose their password") Boolean invite) {
        @Override
        public String toString() {
            return "CreateUser[roles=" + roles + "]";
        }
    }

    public record PatchUser(Boolean enabled, String password, Boolean emailVerified) {
        @Override
        public String toString() {
            return "PatchUser[enabled=" + enabled + "]";
        }
    }

    public record RolesBody(List<String> roles) {
    }

    @Inject
    UserCreation creation;

    @Inject
    EmailVerification verification;

    @Inject
    UserViews views;

    @Inject
    AccountAdmin accounts;

    @Inject
    AccountExport exports;

    @Inject
    AdminPrincipal principal;

    @Inject
    PairwiseSubjects subjects;

    @POST
    @Operation(summary = "Create a user", description = "With a password, without one, or with \"invite\": true invited by mail"
            + " to choose one (the account starts without a password and with email_verified false)")
    @APIResponse(responseCode = "201", description = "The user; an invitation goes out after commit")
    @APIResponse(responseCode = "400", description = "Bad input; field password when given with invite, field invite when mail is off")
    @APIResponse(responseCode = "409", description = "An account with this email exists")
    public Response create(CreateUser body) {
        if (body == null) {
            throw ServiceException.invalid("email", "is required");
        }
        UserView user = creation.create(principal.subject(), body.email(), body.password(), body.roles(),
                Boolean.TRUE.equals(body.invite()));
        return Response.status(201).entity(user).build();
    }

    @GET
    public Page<UserView> list(@QueryParam("email") String email, @QueryParam("email_prefix") String emailPrefix,
            @QueryParam("cursor") String cursor,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200")) @QueryParam("limit") String limit,
            @Parameter(description = "with client_id: the user behind this sub as that client sees it (pairwise or public)")
            @QueryParam("sub") String sub,
            @Parameter(description = "with sub: the client whose sub it is") @QueryParam("client_id") String clientId) {
        if (sub != null || clientId != null) {
            return bySubject(sub, clientId, email != null || emailPrefix != null);
        }
        int n = Page.limit(limit);
        if (emailPrefix != null) {
            // ordered by email: the cursor is the last normalized email of the page
            if (email != null) {
                throw ServiceException.invalid("email_prefix", "cannot be combined with email");
            }
            return Page.of(views.searchViews(emailPrefix, cursor == null || cursor.isEmpty() ? null : cursor, n + 1), n,
                    u -> Email.normalizeTyped(u.email()));
        }
        UUID after = cursor == null || cursor.isEmpty() ? null : uuid("cursor", cursor);
        return Page.of(views.list(email, after, n + 1), n, u -> u.id().toString());
    }

    /**
     * SPEC section 12: the user behind a {@code sub} as one client sees it (pairwise or public),
     * for an erasure request from a warehouse that only knows the pseudonym; no items when none.
     */
    private Page<UserView> bySubject(String sub, String clientId, boolean withEmail) {
        if (sub == null || sub.isEmpty()) {
            throw ServiceException.invalid("sub", "is required with client_id");
        }
        if (clientId == null || clientId.isEmpty()) {
            throw ServiceException.invalid("client_id",
                    "is required with sub: a pairwise sub means something only to its client's sector");
        }
        if (withEmail) {
            throw ServiceException.invalid("sub", "cannot be combined with email or email_prefix");
        }
        List<UserView> found = subjects.userOf(clientId, sub).flatMap(views::findById).map(List::of).orElse(List.of());
        return new Page<>(found, null);
    }

    @GET
    @Path("{id}")
    public UserView get(@PathParam("id") String id) {
        return views.get(existingId(id));
    }

    @PATCH
    @Path("{id}")
    public UserView update(@PathParam("id") String id, PatchUser body) {
        PatchUser changes = body == null ? new PatchUser(null, null, null) : body;
        return accounts.update(principal.subject(), existingId(id),
                new AccountAdmin.UserChanges(changes.enabled(), changes.password(), changes.emailVerified()));
    }

    @PUT
    @Path("{id}/roles")
    @APIResponse(responseCode = "200", description = "The user with these roles")
    @APIResponse(responseCode = "400", description = "Bad input; the error names the field (roles[i] for an unknown role)")
    @APIResponse(responseCode = "404", description = "No such user")
    public UserView replaceRoles(@PathParam("id") String id, RolesBody body) {
        return accounts.replaceRoles(principal.subject(), existingId(id), body == null ? null : body.roles());
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        accounts.delete(principal.subject(), existingId(id));
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/export")
    public AccountExport.Export export(@PathParam("id") String id) {
        return exports.export(existingId(id));
    }

    @POST
    @Path("{id}/verification")
    @Consumes(MediaType.WILDCARD) // no body: whatever type a client names (or none) is fine
    @Operation(summary = "Send the email verification link again", description = "Needs mail; a new link voids the older ones")
    @APIResponse(responseCode = "202", description = "The link is queued and mailed after commit")
    @APIResponse(responseCode = "400", description = "Mail is off")
    @APIResponse(responseCode = "404", description = "No user with this id")
    @APIResponse(responseCode = "409", description = "The email is already verified")
    public Response resendVerification(@PathParam("id") String id) {
        verification.resendByAdmin(principal.subject(), existingId(id));
        return Response.accepted().build();
    }

    /** A malformed id in the path cannot name a user: 404, as for an unknown one. */
    private static UUID existingId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ServiceException.notFound("no user with this id");
        }
    }

    private static UUID uuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid(field, "is not a valid cursor");
        }
    }
}
