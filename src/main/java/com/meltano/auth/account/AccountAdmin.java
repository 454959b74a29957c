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
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.RbacService;
import com.meltano.auth.rbac.RoleName;
import com.meltano.auth.rbac.Subject;
import com.meltano.auth.session.Sessions;

/**
 * What an admin changes on an account (SPEC section 9): enabled, password, email_verified, roles,
 * and erasure. A password set by an admin or a disabled account revokes the user's grants; the
 * last enabled admin can neither lose the role nor be disabled or deleted.
 */
@ApplicationScoped
public class AccountAdmin {

    @Inject
    UserViews views;

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    @Inject
    RbacService rbac;

    @Inject
    RbacRepository assignments;

    @Inject
    GrantRepository grants;

    @Inject
    Sessions sessions;

    @Inject
    Event<AuditEvent> audit;

    @Inject
    AccountNotices notices;

    /** Changes an admin may make to a user; null fields are left alone. */
    public record UserChanges(Boolean enabled, String password, Boolean emailVerified) {
        @Override
        public String toString() {
            return "UserChanges[enabled=" + enabled + ", emailVerified=" + emailVerified + "]";
        }
    }

    @Transactional
    public UserView update(String actor, UUID id, UserChanges changes) {
        UserEntity u = views.find(id);
        boolean revoke = false;
        if (changes.password() != null) {
            PasswordPolicy.violation(changes.password(), u.email).ifPresent(r -> {
                throw ServiceException.invalid("password", r);
            });
            u.passwordHash = hasher.hash(changes.password());
            u.passwordChangedAt = Instant.now();
            revoke = true; // a password set by an admin revokes every grant and session
            sessions.revokeAllOf(u.id);
            notices.passwordChanged(u);
        }
        if (changes.enabled() != null && changes.enabled() != u.enabled) {
            if (!changes.enabled()) {
                requireAnotherAdmin(u.id, "the last enabled admin cannot be disabled");
                revoke = true;
            }
            u.enabled = changes.enabled();
        }
        if (changes.emailVerified() != null) {
            u.emailVerified = changes.emailVerified();
        }
        u.updatedAt = Instant.now();
        users.update(u);
        if (revoke) {
            grants.revokeForUser(u.id, Instant.now());
        }
        audit.fire(AuditEvent.of(actor, "user.updated", id.toString(), Map.of(
                "password_changed", changes.password() != null,
                "enabled", u.enabled,
                "email_verified", u.emailVerified)));
        return views.view(u);
    }

    @Transactional
    public UserView replaceRoles(String actor, UUID id, Collection<String> roles) {
        UserEntity u = views.find(id);
        if (roles == null) {
            throw ServiceException.invalid("roles", "is required");
        }
        Set<String> names = rbac.existingRoles("roles", roles);
        boolean keepsAdmin = names.contains(RoleName.ADMIN) || assignments.assignments(Subject.USER, id).stream()
                .anyMatch(a -> a.role().equals(RoleName.ADMIN) && !a.source().equals(RbacRepository.MANUAL));
        if (!keepsAdmin && u.enabled && holdsAdmin(id)) {
            requireAnotherAdmin(id, "the last admin cannot lose the admin role");
        }
        assignments.replaceManual(Subject.USER, id, names);
        audit.fire(AuditEvent.of(actor, "user.roles_replaced", id.toString(), Map.of("roles", List.copyOf(names))));
        return views.view(u);
    }

    /**
     * Erasure (GDPR article 17): the account and everything hanging off it; audit keeps only the id.
     * The rows of other owners that name the user (roles, grants with their codes and tokens,
     * sessions, login flows, consents, linked identities) go by the schema's {@code on delete
     * cascade}: no feature can keep a row about a person who no longer exists.
     */
    @Transactional
    public void delete(String actor, UUID id) {
        UserEntity u = views.find(id);
        if (holdsAdmin(id) && u.enabled) {
            requireAnotherAdmin(id, "the last admin cannot be deleted");
        }
        users.delete(u);
        audit.fire(AuditEvent.of(actor, "user.deleted", id.toString()));
    }

    /**
     * Signs the user out everywhere: every browser session and every grant (with its refresh and
     * access tokens) ends, in one transaction; the account itself stays as it is.
     */
    @Transactional
    public void signOutEverywhere(String actor, UUID id) {
        UserEntity u = views.find(id);
        sessions.revokeAllOf(u.id);
        int revoked = grants.revokeForUser(u.id, Instant.now());
        audit.fire(AuditEvent.of(actor, "user.signed_out_everywhere", id.toString(), Map.of("grants_revoked", revoked)));
    }

    /**
     * Erasure confirmed by typing the account's email (SPEC section 11): a mistyped email erases
     * nothing. Compared as emails are, case-insensitively.
     */
    @Transactional
    public void deleteConfirmed(String actor, UUID id, String typedEmail) {
        UserEntity u = views.find(id);
        if (typedEmail == null || !u.emailNormalized.equals(Email.normalizeTyped(typedEmail))) {
            throw ServiceException.invalid("email", "does not match the account's email, so nothing was erased");
        }
        delete(actor, id);
    }

    private boolean holdsAdmin(UUID id) {
        return assignments.assignments(Subject.USER, id).stream().anyMatch(a -> a.role().equals(RoleName.ADMIN));
    }

    /** SPEC section 9: one enabled admin always remains; the lock serializes two admins demoting each other. */
    private void requireAnotherAdmin(UUID id, String message) {
        if (!holdsAdmin(id)) {
            return;
        }
        assignments.lockAdminMembership();
        if (assignments.otherEnabledAdmins(id) == 0) {
            throw ServiceException.conflict(null, message);
        }
    }
}
