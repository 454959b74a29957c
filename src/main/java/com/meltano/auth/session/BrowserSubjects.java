package com.meltano.auth.session;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.common.Sql;
import com.meltano.auth.config.AuthConfig;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Who the browser is: the session's user, or with {@code MELTANO_AUTHENTICATION=false} the single
 * built-in admin (SPEC section 6), authenticated now.
 */
@ApplicationScoped
public class BrowserSubjects {

    /** The built-in user of SPEC section 6 (an email-shaped name, as every account has one). */
    public static final String BUILT_IN_ADMIN_EMAIL = "admin@localhost";

    @Inject
    Sessions sessions;

    @Inject
    AuthConfig config;

    @Inject
    Sql db;

    public Optional<BrowserSubject> current(String sessionCookie) {
        if (!config.authentication()) {
            UUID admin = QuarkusTransaction.joiningExisting().call(() -> (UUID) db.query(
                    "select id from app_user where email_normalized = ?1").bind(1, BUILT_IN_ADMIN_EMAIL).single());
            return Optional.of(new BrowserSubject(admin, BUILT_IN_ADMIN_EMAIL, null, Instant.now()));
        }
        return sessions.current(sessionCookie).map(UserSession::subject);
    }
}
