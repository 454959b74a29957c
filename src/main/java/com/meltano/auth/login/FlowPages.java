package com.meltano.auth.login;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import com.meltano.auth.oauth2.authorize.AuthorizationService;
import com.meltano.auth.oauth2.authorize.FlowContinuation;
import com.meltano.auth.oauth2.authorize.FlowState;
import com.meltano.auth.oauth2.authorize.FlowStatusPage;
import com.meltano.auth.oauth2.authorize.LoginFlow;
import com.meltano.auth.oauth2.authorize.LoginFlows;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.session.BrowserSubject;
import com.meltano.auth.session.BrowserSubjects;
import com.meltano.auth.web.PageHeaders;
import com.meltano.auth.web.Pages;

/**
 * Which flow a sign-in page shows (SPEC section 5). The URL names the flow; a bare {@code /login}
 * or {@code /register} (typed, bookmarked, or a client that drops the query) shows the browser's
 * newest sign-in for an application, or starts a sign-in to the account page (or goes there, when
 * signed in). A flow that can no longer take a sign-in gets its status page, never an empty form
 * that names no application.
 */
@ApplicationScoped
public class FlowPages {

    /** The flow to show a form for (and the flow cookie to set, if new), or the answer to give instead. */
    public record Resolved(LoginFlow flow, Response answer, NewCookie binding) {

        /** The form page of the flow, with the flow cookie when it is new. */
        public Response page(Object entity) {
            Response.ResponseBuilder r = Response.ok(entity);
            return (binding == null ? r : r.cookie(binding)).build();
        }
    }

    @Inject
    LoginFlows flows;

    @Inject
    BrowserSubjects subjects;

    @Inject
    BrowserCookies cookies;

    @Inject
    AuthorizationService authorizations;

    @Inject
    FlowStatusPage status;

    /**
     * @param wanted the state in which the flow takes the page's form
     */
    public Resolved resolve(String flowId, String binding, String session, FlowState wanted) {
        Optional<BrowserSubject> subject = subjects.current(session);
        if (flowId == null) {
            Optional<LoginFlow> open = flows.latestOpen(binding, wanted);
            if (open.isPresent()) {
                return new Resolved(open.get(), null, null);
            }
            return accountSignIn(binding, subject, null);
        }
        Optional<LoginFlow> flow = flows.find(flowId, binding);
        if (flow.isEmpty()) {
            return answer(Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(Pages.error("This sign-in page has expired",
                    "This browser has no sign-in under this address: it ended a while ago, or it was started in another"
                            + " browser. Go back to the application to sign in again, or sign in to your account.",
                    "/login", "Sign in")).build());
        }
        FlowState state = flow.get().state();
        if (state == wanted) {
            return new Resolved(flow.get(), null, null);
        }
        if (state == FlowState.AWAITING_CONSENT) {
            return answer(PageHeaders.seeOther(FlowContinuation.consentPage(flow.get())).build());
        }
        if (flow.get().forAccountPage()) {
            return accountSignIn(binding, subject, flow.get().returnTo());
        }
        return answer(Response.ok(status.of(flow.get(), subject)).build());
    }

    /** The flow behind a posted form: its form token, from this browser. */
    public Optional<LoginFlow> posted(String csrf, String binding) {
        return flows.byFormToken(csrf, binding);
    }

    public void rememberEmail(LoginFlow flow, String email) {
        flows.rememberEmail(flow, email);
    }

    public String clientName(LoginFlow flow) {
        return authorizations.clientName(flow.request());
    }

    /** What the email field shows: what was typed last, else the client's {@code login_hint}. */
    public String emailOf(LoginFlow flow) {
        return flow.typedEmail() != null ? flow.typedEmail() : flow.request() == null ? null : flow.request().loginHint();
    }

    /** A sign-in of no application: to the account page, or to the console page {@code returnTo}. */
    private Resolved accountSignIn(String binding, Optional<BrowserSubject> subject, String returnTo) {
        if (subject.isPresent()) {
            return answer(PageHeaders.seeOther(returnTo != null ? returnTo : FlowContinuation.ACCOUNT_PAGE).build());
        }
        String browser = BrowserCookies.bindingOrNew(binding);
        LoginFlow flow = returnTo != null ? flows.createReturningTo(returnTo, browser)
                : flows.create(null, browser, FlowState.AWAITING_LOGIN, null);
        return new Resolved(flow, null, cookies.flow(browser));
    }

    /**
     * The answer that sends a browser without a session to sign in and then back to the console
     * page {@code consolePath} (SPEC section 11).
     */
    public Response signInThenReturn(String consolePath, String binding) {
        String browser = BrowserCookies.bindingOrNew(binding);
        LoginFlow flow = flows.createReturningTo(consolePath, browser);
        return PageHeaders.seeOther(FlowContinuation.loginPage(flow)).cookie(cookies.flow(browser)).build();
    }

    private static Resolved answer(Response response) {
        return new Resolved(null, response, null);
    }
}
