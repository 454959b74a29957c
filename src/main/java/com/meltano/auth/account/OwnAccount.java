package com.meltano.auth.account;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.session.Sessions;
import com.meltano.auth.throttle.Throttle;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What the signed-in person does to their own account (SPEC section 5): re-authentication with the
 * current password, throttled like the sign-in form, and changing their password.
 */
@ApplicationScoped
public class OwnAccount {

    /** How recent a GitLab sign-in must be to stand in for the password an account does not have. */
    public static final Duration FRESH_SIGN_IN = Duration.ofMinutes(5);

    @Inject
    UserViews views;

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    @Inject
    Throttle throttle;

    @Inject
    GrantRepository grants;

    @Inject
    Sessions sessions;

    @Inject
    Event<AuditEvent> audit;

    @Inject
    AccountNotices notices;

    /**
     * A signed-in person changes their password: the current one is required when there is one;
     * every other session and grant of the user is revoked, the grants of the session that made the
     * change are kept.
     *
     * @return false when the current password is wrong (nothing changed)
     * @throws Throttle.Throttled when the current password may not be checked now (nothing changed)
     */
    public boolean changeOwnPassword(UUID id, String current, String next, String keepSid, boolean recentGitLabSignIn,
            String address) {
        if (!reauthenticated(id, current, recentGitLabSignIn, address)) {
            return false;
        }
        QuarkusTransaction.joiningExisting().run(() -> setOwnPassword(id, next, keepSid));
        return true;
    }

    private void setOwnPassword(UUID id, String next, String keepSid) {
        UserEntity u = views.find(id);
        PasswordPolicy.violation(next, u.email).ifPresent(r -> {
            throw ServiceException.invalid("new_password", r);
        });
        u.passwordHash = hasher.hash(next);
        u.passwordChangedAt = Instant.now();
        u.updatedAt = u.passwordChangedAt;
        users.update(u);
        grants.revokeForUserExceptSession(id, keepSid, u.passwordChangedAt);
        sessions.revokeOthersOf(id, keepSid);
        notices.passwordChanged(u);
        audit.fire(AuditEvent.of(id.toString(), "user.password_changed", id.toString()));
    }

    /**
     * Re-authentication on the account page: the current password; false for an account without one.
     *
     * @throws Throttle.Throttled when the password may not be checked now
     */
    public boolean passwordMatches(UUID id, String password, String address) {
        Credential credential = credential(id);
        return credential.passwordHash() != null && currentPasswordMatches(credential, password, address);
    }

    /** What re-authentication needs of an account, read in a short transaction of its own. */
    private record Credential(String throttleKey, String passwordHash) {
    }

    private Credential credential(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            UserEntity u = views.find(id);
            return new Credential(u.emailNormalized, u.passwordHash);
        });
    }

    /**
     * The current password, throttled per (account, source address) like the sign-in form: a stolen
     * session cookie does not buy unlimited guesses at the password behind it. Checked outside any
     * transaction: a connection held through Argon2id would let parallel guesses drain the pool.
     */
    private boolean currentPasswordMatches(Credential credential, String password, String address) {
        return throttle.attempt(Throttle.Kind.ACCOUNT, credential.throttleKey(), address,
                () -> hasher.verify(password == null ? "" : password, credential.passwordHash()));
    }

    @Inject
    AccountAdmin accountAdmin;

    /**
     * "Delete my account" (SPEC section 12, self-service privacy): re-authentication exactly as for
     * a password change (the current password, throttled; for an account without one, a GitLab
     * sign-in from the last 5 minutes), then the admin API's erasure, confirmed by the typed email
     * ({@link AccountAdmin#deleteConfirmed}) with the person as actor: the audit entry names only
     * their id, as an admin's erasure does. The last admin is refused and nothing is deleted.
     *
     * @return false when re-authentication failed (nothing deleted)
     * @throws Throttle.Throttled when the current password may not be checked now (nothing deleted)
     * @throws ServiceException {@code INVALID} (field {@code email}) when the typed email is not the
     *         account's, {@code CONFLICT} for the last admin (nothing deleted in either case)
     */
    public boolean deleteOwnAccount(UUID id, String current, String typedEmail, boolean recentGitLabSignIn, String address) {
        if (!reauthenticated(id, current, recentGitLabSignIn, address)) {
            return false;
        }
        accountAdmin.deleteConfirmed(id.toString(), id, typedEmail);
        return true;
    }

    /**
     * Re-authentication before a change on the account page (SPEC section 5: the password, the
     * email, deletion): the current password, throttled; for an account without one, a GitLab
     * sign-in from the last 5 minutes ({@code recentGitLabSignIn}).
     *
     * @throws Throttle.Throttled when the current password may not be checked now
     */
    public boolean reauthenticated(UUID id, String current, boolean recentGitLabSignIn, String address) {
        Credential credential = credential(id);
        return credential.passwordHash() != null
                ? currentPasswordMatches(credential, current, address)
                // no password: only a GitLab sign-in from the last 5 minutes counts (SPEC section 5)
                : recentGitLabSignIn;
    }
}
