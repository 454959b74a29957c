package com.meltano.auth.admin.console;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.account.UserView;
import com.meltano.auth.account.UserViews;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.oauth2.client.ClientService;
import com.meltano.auth.rbac.Subject;
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
    UserViews users;

    @Inject
    ClientService clients;

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
        WhoCan.Explanation explanation = null;
        String subjectName = null;
        boolean isUser = false;
        boolean disabled = false;
        if (s != null && typeError == null && resourceError == null) {
            Optional<UserView> user = s.contains("@") ? users.findByEmail(s) : Optional.empty();
            if (user.isPresent()) {
                explanation = whoCan.explain(Subject.USER, user.get().id(), t, r);
                subjectName = user.get().email();
                isUser = true;
                disabled = !user.get().enabled();
            } else if (!s.contains("@") && clientExists(s)) {
                explanation = whoCan.explain(Subject.CLIENT, s, t, r);
                subjectName = s;
            } else {
                subjectError = "Who can: no user has this email and no client has this id.";
            }
        }
        List<WhoCan.UserHolder> shown = answer == null ? List.of() : answer.users().subList(0, Math.min(USERS_SHOWN, answer.users().size()));
        int more = answer == null ? 0 : answer.users().size() - shown.size();
        return Response.ok(ConsolePages.access(ConsoleFrame.of(admin, "access", ConsoleNotice.NONE), orEmpty(t), orEmpty(r), orEmpty(s),
                typeError, resourceError, subjectError, answer, shown, more, explanation, subjectName, isUser, disabled)).build();
    }

    private boolean clientExists(String clientId) {
        try {
            clients.get(clientId);
            return true;
        } catch (ServiceException e) {
            return false;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
