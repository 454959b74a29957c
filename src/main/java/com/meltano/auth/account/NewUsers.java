package com.meltano.auth.account;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.common.SqlFailure;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.RbacService;
import com.meltano.auth.rbac.RoleName;
import com.meltano.auth.rbac.Subject;

/**
 * The one way a local account comes into being, whoever asks: the admin API (SPEC section 9),
 * self-registration (section 5), a first GitLab sign-in (section 5a) and the configured admins
 * (sections 3 and 6). Each gets the same email rules, password policy, uniqueness and roles.
 */
@ApplicationScoped
public class NewUsers {

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    @Inject
    RbacService rbac;

    @Inject
    RbacRepository assignments;

    @Inject
    UserViews views;

    @Inject
    Event<AuditEvent> audit;

    /** What the factory made: the account and the manual roles it holds. */
    private record Created(UserEntity user, Set<String> roles) {
    }

    /** An account created by an admin (or, with a null actor, by the server); {@code roles} null means {@code regular}. */
    @Transactional
    public UserView create(String actor, String rawEmail, String password, Collection<String> roles) {
        Created created = newUser(email(rawEmail), password, false, roles);
        if (actor != null) {
            audit.fire(AuditEvent.of(actor, "user.created", created.user().id.toString(),
                    Map.of("roles", List.copyOf(created.roles()))));
        }
        return views.view(created.user());
    }

    /**
     * Self-registration (SPEC section 5): role {@code regular}, {@code email_verified=false} (nobody
     * proved the address), a password under the policy.
     */
    @Transactional
    public UUID register(String rawEmail, String password) {
        if (password == null) {
            throw ServiceException.invalid("password", "is required");
        }
        UUID id = newUser(email(rawEmail), password, false, null).user().id;
        audit.fire(AuditEvent.of(id.toString(), "user.registered", id.toString()));
        return id;
    }

    /**
     * An account for a person who signed in at another provider (SPEC section 5a): role
     * {@code regular}, no password, the email verified as the provider says. Runs in the caller's
     * transaction; a concurrent creation of the same email is a conflict.
     */
    @Transactional
    public UUID federated(Email email, boolean emailVerified) {
        return newUser(email, null, emailVerified, null).user().id;
    }

    /** A configured admin (SPEC sections 3 and 6): role {@code admin} only; {@code password} may be null. */
    UserEntity configuredAdmin(Email email, String password) {
        return newUser(email, password, false, List.of(RoleName.ADMIN)).user();
    }

    private Created newUser(Email email, String password, boolean emailVerified, Collection<String> roles) {
        if (password != null) {
            PasswordPolicy.violation(password, email.value()).ifPresent(r -> {
                throw ServiceException.invalid("password", r);
            });
        }
        Set<String> roleNames = roles == null ? Set.of(RoleName.REGULAR) : rbac.existingRoles("roles", roles);
        if (users.findByEmail(email).isPresent()) {
            throw ServiceException.conflict("email", "is taken by another account");
        }
        UserEntity u = new UserEntity();
        u.id = UUID.randomUUID();
        u.email = email.value();
        u.emailNormalized = email.normalized();
        u.emailVerified = emailVerified;
        u.enabled = true;
        u.createdAt = Instant.now();
        u.updatedAt = u.createdAt;
        if (password != null) {
            u.passwordHash = hasher.hash(password);
            u.passwordChangedAt = u.createdAt;
        }
        try {
            users.insert(u); // the unique index decides a race between two creations of one email
        } catch (SqlFailure e) {
            if (e.isUniqueViolation()) {
                throw ServiceException.conflict("email", "is taken by another account");
            }
            throw e;
        }
        assignments.replaceManual(Subject.USER, u.id, roleNames);
        return new Created(u, roleNames);
    }

    static Email email(String raw) {
        if (raw == null) {
            throw ServiceException.invalid("email", "is required");
        }
        try {
            return Email.parse(raw);
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid("email", e.getMessage());
        }
    }
}
