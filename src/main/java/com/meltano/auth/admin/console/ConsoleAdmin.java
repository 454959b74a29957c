package com.meltano.auth.admin.console;

import jakarta.enterprise.context.RequestScoped;

import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.session.UserSession;

/** The admin using the console in this request, set by {@link ConsoleGuard} once the right is checked. */
@RequestScoped
public class ConsoleAdmin {

    /** A console form that did not come from a console page of this session (CSRF). */
    public static final class FormRefused extends RuntimeException {
        FormRefused() {
            super("the form token does not belong to this session", null, false, false);
        }
    }

    private UserSession session;

    void set(UserSession session) {
        this.session = session;
    }

    private UserSession session() {
        if (session == null) {
            throw new IllegalStateException("console request without a checked admin");
        }
        return session;
    }

    /** The actor recorded in audit events: the user id, as for the admin API (never an email). */
    public String actor() {
        return session().userId().toString();
    }

    public String email() {
        return session().email();
    }

    /** The form token every console form carries: the session's. */
    public String csrf() {
        return session().csrf();
    }

    /** Refuses a posted form whose token is not this session's (a form from another site or session). */
    public void requireForm(String csrf) {
        if (!OpaqueTokens.same(csrf, session().csrf())) {
            throw new FormRefused();
        }
    }
}
