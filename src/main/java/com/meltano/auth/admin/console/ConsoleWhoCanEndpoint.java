package com.meltano.auth.admin.console;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.access.SubjectAccess;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.rbac.WhoCan;

/**
 * {@code /admin/access}: who can (SPEC section 11), the same {@link WhoCan} answer as
 * {@code GET /admin/api/access}, and for one user or client its effective permissions and why a
 * question gets a yes or a no. A question only reads: a GET form, shareable as a link.
 */
@Path("/admin/access")
public class ConsoleWhoCanEndpoint {

    /** Users listed on the page; the REST API and the command line give them all. */
    static final int USERS_SHOWN = 500;

    @Inject
    ConsoleAdmin admin;

    @Inject
    WhoCan whoCan;

    @Inject
    SubjectAccess subjects;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@QueryParam("type") String type, @QueryParam("resource") String resource,
            @QueryParam("subject") String subject) {
        String t = blankToNull(type);
        String r = blankToNull(resource);
        String s = blankToNull(subject);
        String typeError = null;
        String resourceError = null;
        String subjectError = null;
        WhoCan.Answer answer = null;
        if (t != null || r != null) {
            if (t == null) {
                typeError = "Who can: the permission type is required, e.g. view:design.";
            }
            if (r == null) {
                resourceError = "Who can: the resource name is required, e.g. finance.month_over_month.";
            }
            if (t != null && r != null) {
                answer = whoCan.who(t, r);
            }
        }
        SubjectAccess.Explained explained = null;
        if (s != null && typeError == null && resourceError == null) {
            try {
                // an email has an @, a client id never has one (oauth2.client.ClientId)
                explained = s.contains("@") ? subjects.user(s, t, r) : subjects.client(s, t, r);
            } catch (ServiceException e) {
                subjectError = "Who can: no user has this email and no client has this id.";
            }
        }
        List<WhoCan.UserHolder> shown = answer == null ? List.of() : answer.users().subList(0, Math.min(USERS_SHOWN, answer.users().size()));
        int more = answer == null ? 0 : answer.users().size() - shown.size();
        return Response.ok(ConsolePages.access(ConsoleFrame.of(admin, "access", ConsoleNotice.NONE), orEmpty(t), orEmpty(r), orEmpty(s),
                typeError, resourceError, subjectError, answer, shown, more, explained)).build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
