package com.meltano.auth.oauth2.authorize;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.session.BrowserSubject;

/**
 * Where a flow goes once the person is authenticated, and after their consent: each step one
 * transition of the flow, taken in the same transaction as the answer it gives (a code is issued
 * only by the request that moved the flow). When the flow cannot move (it expired, or another tab
 * finished it) the browser goes to the flow's own page, which says so.
 */
@ApplicationScoped
public class FlowContinuation {

    public static final String ACCOUNT_PAGE = "/account";

    @Inject
    LoginFlows flows;

    @Inject
    AuthorizationService authorizations;

    /** The person just proved who they are in this flow (by any way of signing in). */
    @Transactional
    public String authenticated(LoginFlow flow, BrowserSubject subject) {
        if (flow.forAccountPage()) {
            flows.move(flow, FlowState.Transition.AUTHENTICATED, subject.userId());
            return flow.pageAfterSignIn(); // signed in: the page that asked, whatever became of the flow
        }
        try {
            if (authorizations.consentNeed(flow.request(), subject) == AuthorizationService.Need.CONSENT) {
                return flows.move(flow, FlowState.Transition.AUTHENTICATED_CONSENT_NEEDED, subject.userId())
                        ? consentPage(flow) : loginPage(flow);
            }
            if (!flows.move(flow, FlowState.Transition.AUTHENTICATED, subject.userId())) {
                return loginPage(flow);
            }
            return authorizations.issueCode(flow.request(), subject);
        } catch (AuthorizationError e) {
            if (!flows.move(flow, FlowState.Transition.AUTHENTICATED, subject.userId())) {
                return loginPage(flow);
            }
            return e.redirectUri() == null ? ACCOUNT_PAGE : authorizations.errorRedirect(flow.request(), e.code(), e.getMessage());
        }
    }

    /** The person allowed or denied on the consent page of this flow; they must be who signed in for it. */
    @Transactional
    public String answered(LoginFlow flow, BrowserSubject subject, boolean allowed) {
        if (!subject.userId().equals(flow.userId()) || !flows.move(flow, FlowState.Transition.ANSWERED, null)) {
            return consentPage(flow);
        }
        if (!allowed) {
            return authorizations.errorRedirect(flow.request(), "access_denied", "the user denied the request");
        }
        authorizations.rememberConsent(subject.userId(), flow.request());
        return authorizations.issueCode(flow.request(), subject);
    }

    public static String loginPage(LoginFlow flow) {
        return "/login?flow=" + flow.id();
    }

    public static String consentPage(LoginFlow flow) {
        return "/consent?flow=" + flow.id();
    }
}
