package com.meltano.auth.admin.console;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.admin.AdminAccess;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.session.Sessions;
import com.meltano.auth.session.UserSession;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Who may use the admin console (SPEC section 11): a signed-in person who holds the admin right of
 * SPEC section 9 (c) now, read from the database on every request, so that a right taken away
 * closes the console at the next click.
 */
@ApplicationScoped
public class ConsoleAccess {

    /** {@code SIGN_IN_OFF}: {@code MELTANO_AUTHENTICATION=false} (SPEC section 6), where nobody signs in. */
    public enum Outcome { SIGN_IN, FORBIDDEN, ALLOWED, SIGN_IN_OFF }

    /** The outcome, and the session when there is one. */
    public record Decision(Outcome outcome, UserSession session) {
    }

    @Inject
    Sessions sessions;

    @Inject
    AdminAccess admins;

    @Inject
    AuthConfig config;

    public Decision decide(String sessionCookie) {
        if (!config.authentication()) {
            return new Decision(Outcome.SIGN_IN_OFF, null);
        }
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty()) {
            return new Decision(Outcome.SIGN_IN, null);
        }
        boolean admin = QuarkusTransaction.requiringNew().call(() -> admins.userHoldsAdminRight(session.get().userId()));
        return new Decision(admin ? Outcome.ALLOWED : Outcome.FORBIDDEN, session.get());
    }
}
