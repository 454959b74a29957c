package com.meltano.auth.login;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.oauth2.authorize.AuthorizationError;
import com.meltano.auth.oauth2.authorize.AuthorizationService;

/** Where the browser goes once the person is authenticated: consent, the client, or the account page. */
@ApplicationScoped
public class FlowContinuation {

    public static final String ACCOUNT_PAGE = "/account";
    public static final String CONSENT_PAGE = "/consent";

    @Inject
    LoginFlows flows;

    @Inject
    AuthorizationService authorizations;

    @Inject
    Sessions sessions;

    /** Where to send the browser, and the new session's cookie value. */
    public record SignedIn(String location, String sessionCookie) {
        @Override
        public String toString() {
            return "SignedIn[" + location + "]";
        }
    }

    /** A person just proved who they are: a new session, then on with the flow. */
    public SignedIn signedIn(LoginFlow flow, UUID userId, UserSession.AuthMethod method) {
        Sessions.Created session = sessions.create(userId, Instant.now(), method);
        AuthorizationService.Subject subject = new AuthorizationService.Subject(userId, session.session().sid(),
                session.session().authTime());
        return new SignedIn(afterAuthentication(flow, subject), session.cookieValue());
    }

    public String afterAuthentication(LoginFlow flow, AuthorizationService.Subject subject) {
        if (flow.request() == null) {
            flows.finish(flow);
            return ACCOUNT_PAGE;
        }
        try {
            if (authorizations.consentNeed(flow.request(), subject) == AuthorizationService.Need.CONSENT) {
                return CONSENT_PAGE;
            }
            flows.finish(flow);
            return authorizations.issueCode(flow.request(), subject);
        } catch (AuthorizationError e) {
            flows.finish(flow);
            return e.redirectUri() == null ? ACCOUNT_PAGE
                    : authorizations.errorRedirect(flow.request(), e.code(), e.getMessage());
        }
    }
}
