package com.meltano.auth.admin;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import com.meltano.auth.access.SubjectAccess;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.Subject;
import com.meltano.auth.rbac.WhoCan;

/**
 * {@code GET /admin/api/access?type=&resource=} (SPEC section 11): who can do {@code type} on
 * {@code resource}, the roles with the pattern pair that matched, and the users and clients holding
 * them. With {@code user=<email>} or {@code client=<client_id>} the answer also explains that one
 * subject: its roles, effective permissions, and the permissions that allow the question or the
 * near misses (the same {@link WhoCan#explain} as the console's who-can page).
 */
@Path("/admin/api/access")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "access")
@SecurityRequirement(name = "bearer")
public class AccessResource {

    /** The SPEC answer, and {@code explanation} when a subject was named. */
    public record AccessAnswer(List<WhoCan.RoleMatch> roles, List<WhoCan.UserHolder> users, List<WhoCan.ClientHolder> clients,
            @JsonInclude(JsonInclude.Include.NON_NULL) SubjectExplanation explanation) {
    }

    /** One subject's side: {@code allowed} is false for a disabled user, whatever its roles allow. */
    public record SubjectExplanation(String kind, String id, @JsonInclude(JsonInclude.Include.NON_NULL) String email,
            boolean enabled, boolean allowed, List<RbacRepository.Assignment> roles, Map<String, List<String>> permissions,
            List<WhoCan.Weighed> allowing, List<WhoCan.Weighed> nearMisses) {
    }

    @Inject
    WhoCan whoCan;

    @Inject
    SubjectAccess subjects;

    @GET
    public AccessAnswer who(@QueryParam("type") String type, @QueryParam("resource") String resource,
            @QueryParam("user") String user, @QueryParam("client") String client) {
        if (user != null && client != null) {
            throw ServiceException.invalid("client", "name a user or a client, not both");
        }
        WhoCan.Answer answer = whoCan.who(type, resource);
        SubjectAccess.Explained subject = user != null ? subjects.user(user, type, resource)
                : client != null ? subjects.client(client, type, resource) : null;
        return new AccessAnswer(answer.roles(), answer.users(), answer.clients(), subject == null ? null : explanation(subject));
    }

    private static SubjectExplanation explanation(SubjectAccess.Explained s) {
        WhoCan.Explanation e = s.explanation();
        return new SubjectExplanation(s.kind() == Subject.USER ? "user" : "client", s.id(), s.email(), s.enabled(), s.allowed(),
                e.assignments(), e.effective().permissions(), e.allowing(), e.nearMisses());
    }
}
