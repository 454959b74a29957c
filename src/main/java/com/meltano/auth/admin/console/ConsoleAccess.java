package com.meltano.auth.admin.console;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.admin.AdminAccess;
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

    public enum Outcome { SIGN_IN, FORBIDDEN, ALLOWED }

    /** The outcome, and the session when there is one. */
    public record Decision(Outcome outcome, UserSession session) {
    }

    @Inject
    Sessions sessions;

    @Inject
    AdminAccess admins;

    public Decision decide(String sessionCookie) {
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty()) {
            return new Decision(Outcome.SIGN_IN, null);
        }
        boolean admin = QuarkusTransaction.requiringNew().call(() -> admins.userHoldsAdminRight(session.get().userId()));
        return new Decision(admin ? Outcome.ALLOWED : Outcome.FORBIDDEN, session.get());
    }
}
