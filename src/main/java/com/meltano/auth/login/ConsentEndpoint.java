package com.meltano.auth.login;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.authorize.AuthorizationService;

/** The consent page (SPEC section 5): buttons {@code decision=allow|deny}; deny ends in access_denied. */
@Path("/consent")
public class ConsentEndpoint {

    @Inject
    LoginFlows flows;

    @Inject
    BrowserSubjects subjects;

    @Inject
    AuthorizationService authorizations;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@CookieParam(LoginCookies.FLOW) String flowCookie, @CookieParam(LoginCookies.SESSION) String session) {
        Optional<LoginFlow> flow = flows.find(flowCookie).filter(f -> f.request() != null);
        if (flow.isEmpty() || subjects.current(session).isEmpty()) {
            return expired();
        }
        List<String> scopes = Scopes.KNOWN.stream().filter(flow.get().request().scopes()::contains).toList();
        return Response.ok(Pages.consent(authorizations.clientName(flow.get().request()), scopes, flow.get().csrf())).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response decide(@CookieParam(LoginCookies.FLOW) String flowCookie, @CookieParam(LoginCookies.SESSION) String session,
            @FormParam("decision") String decision, @FormParam("csrf") String csrf) {
        Optional<LoginFlow> flow = flows.find(flowCookie).filter(f -> f.request() != null);
        Optional<AuthorizationService.Subject> subject = subjects.current(session);
        if (flow.isEmpty() || subject.isEmpty() || !OpaqueTokens.same(csrf, flow.get().csrf())) {
            return LoginCookies.seeOther("/consent").build();
        }
        flows.finish(flow.get());
        if (!"allow".equals(decision)) {
            return LoginCookies.seeOther(authorizations.errorRedirect(flow.get().request(), "access_denied",
                    "the user denied the request")).build();
        }
        authorizations.rememberConsent(subject.get().userId(), flow.get().request());
        return LoginCookies.seeOther(authorizations.issueCode(flow.get().request(), subject.get())).build();
    }

    private static Response expired() {
        return Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(Pages.error("This request has expired",
                "Go back to the application and sign in again.", null)).build();
    }
}
