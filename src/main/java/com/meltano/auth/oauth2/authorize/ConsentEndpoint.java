package com.meltano.auth.oauth2.authorize;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.session.BrowserSubject;
import com.meltano.auth.session.BrowserSubjects;
import com.meltano.auth.web.PageHeaders;
import com.meltano.auth.web.Pages;

/**
 * The consent page of a flow (SPEC section 5): names the application and the signed-in account;
 * buttons {@code decision=allow|deny}, deny ends in access_denied at the client.
 */
@Path("/consent")
public class ConsentEndpoint {

    @Inject
    LoginFlows flows;

    @Inject
    BrowserSubjects subjects;

    @Inject
    AuthorizationService authorizations;

    @Inject
    FlowContinuation continuation;

    @Inject
    FlowStatusPage status;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@QueryParam("flow") String flowId, @CookieParam(BrowserCookies.FLOW) String binding,
            @CookieParam(BrowserCookies.SESSION) String session) {
        Optional<LoginFlow> flow = flowId == null ? flows.latestOpen(binding, FlowState.AWAITING_CONSENT) : flows.find(flowId, binding);
        if (flow.isEmpty() || flow.get().forAccountPage()) {
            return unknown();
        }
        Optional<BrowserSubject> subject = subjects.current(session);
        if (flow.get().state() == FlowState.AWAITING_LOGIN) {
            return PageHeaders.seeOther(FlowContinuation.loginPage(flow.get())).build();
        }
        if (flow.get().state() != FlowState.AWAITING_CONSENT || subject.isEmpty()
                || !subject.get().userId().equals(flow.get().userId())) {
            return Response.ok(status.of(flow.get(), subject)).build();
        }
        List<String> scopes = Scopes.KNOWN.stream().filter(flow.get().request().scopes()::contains).toList();
        return Response.ok(Pages.consent(authorizations.clientName(flow.get().request()), scopes, flow.get().csrf(),
                subject.get().email())).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response decide(@CookieParam(BrowserCookies.FLOW) String binding, @CookieParam(BrowserCookies.SESSION) String session,
            @FormParam("decision") String decision, @FormParam("csrf") String csrf) {
        Optional<LoginFlow> flow = flows.byFormToken(csrf, binding).filter(f -> !f.forAccountPage());
        if (flow.isEmpty()) {
            return PageHeaders.seeOther("/consent").build(); // a forged or unknown form decides nothing
        }
        Optional<BrowserSubject> subject = subjects.current(session);
        if (subject.isEmpty()) {
            return PageHeaders.seeOther(FlowContinuation.consentPage(flow.get())).build();
        }
        return PageHeaders.seeOther(continuation.answered(flow.get(), subject.get(), "allow".equals(decision))).build();
    }

    private static Response unknown() {
        return Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(Pages.error("This request has expired",
                "There is no request waiting for your consent in this browser. Go back to the application and sign in"
                        + " again, or open your account.", "/account", "Your account")).build();
    }
}
