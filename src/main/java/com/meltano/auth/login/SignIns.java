package com.meltano.auth.login;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.oauth2.authorize.FlowContinuation;
import com.meltano.auth.oauth2.authorize.LoginFlow;
import com.meltano.auth.session.Sessions;
import com.meltano.auth.session.UserSession;

/**
 * How every way of signing in ends (password, registration, GitLab; passkeys and device codes next,
 * SPEC sections 13 and 14), as each Dex connector hands its identity to Dex: the way proves who the
 * person is, then calls {@link #complete}, which ends the browser's previous session, starts a new
 * one and moves the flow on. A new way of signing in is one class that verifies and calls this.
 */
@ApplicationScoped
public class SignIns {

    @Inject
    Sessions sessions;

    @Inject
    FlowContinuation continuation;

    /** Where to send the browser, and the new session's cookie value. */
    public record SignedIn(String location, String sessionCookie) {
        @Override
        public String toString() {
            return "SignedIn[" + location + "]";
        }
    }

    /**
     * {@code userId} proved who they are by {@code method} in {@code flow}. The person is signed in
     * even when the flow can no longer continue (expired, finished in another tab): its page says so.
     */
    public SignedIn complete(LoginFlow flow, UUID userId, UserSession.AuthMethod method, String previousSessionCookie) {
        Sessions.Created session = sessions.replace(previousSessionCookie, userId, method);
        return new SignedIn(continuation.authenticated(flow, session.session().subject()), session.cookieValue());
    }
}
