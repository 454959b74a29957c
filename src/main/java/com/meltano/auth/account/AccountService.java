package com.meltano.auth.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.audit.AuditQuery;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.rbac.PermissionsClaim;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.RbacService;
import com.meltano.auth.rbac.RoleName;
import com.meltano.auth.rbac.Subject;
import com.meltano.auth.session.Sessions;
import com.meltano.auth.throttle.Throttle;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Local accounts: creation, changes, role assignment and erasure (SPEC sections 1 and 9). A new
 * password or a disabled account revokes the user's grants; the last enabled admin can neither
 * lose the role nor be disabled or deleted.
 */
@ApplicationScoped
public class AccountService {

    @Inject
    EntityManager em;

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    @Inject
    Throttle throttle;

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
    AuditQuery auditLog;

    /** How recent a GitLab sign-in must be to stand in for the password an account does not have. */
    public static final Duration FRESH_SIGN_IN = Duration.ofMinutes(5);

    /** Changes an admin may make to a user; null fields are left alone. */
    public record UserChanges(Boolean enabled, String password, Boolean emailVerified) {
        @Override
        public String toString() {
            return "UserChanges[enabled=" + enabled + ", emailVerified=" + emailVerified + "]";
        }
    }

    @Transactional
    public UserView create(String actor, String rawEmail, String password, Collection<String> roles) {
        Email email = email(rawEmail);
        if (password != null) {
            PasswordPolicy.violation(password, email.value()).ifPresent(r -> {
                throw ServiceException.invalid("password", r);
            });
        }
        Set<String> roleNames = roles == null ? Set.of(RoleName.REGULAR) : rbac.existingRoles("roles", roles);
        if (users.findByEmail(email).isPresent()) {
            throw ServiceException.conflict("email", "an account with this email exists");
        }
        UserEntity u = new UserEntity();
        u.id = UUID.randomUUID();
        u.email = email.value();
        u.emailNormalized = email.normalized();
        u.emailVerified = false;
        u.enabled = true;
        u.createdAt = Instant.now();
        u.updatedAt = u.createdAt;
        if (password != null) {
            u.passwordHash = hasher.hash(password);
            u.passwordChangedAt = u.createdAt;
        }
        users.persist(u);
        try {
            em.flush(); // the unique index decides a race between two creations of one email
        } catch (PersistenceException e) {
            throw ServiceException.conflict("email", "an account with this email exists");
        }
        assignments.replaceManual(Subject.USER, u.id, roleNames);
        if (actor != null) {
            audit.fire(AuditEvent.of(actor, "user.created", u.id.toString(), Map.of("roles", List.copyOf(roleNames))));
        }
        return view(u);
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
        UserView user = create(null, rawEmail, password, null);
        audit.fire(AuditEvent.of(user.id().toString(), "user.registered", user.id().toString()));
        return user.id();
    }

    /** The bootstrap admin of SPEC section 3: exists, enabled, holds admin, has this password. */
    @Transactional
    public void ensureBootstrapAdmin(String rawEmail, String password) {
        Email email = Email.parse(rawEmail);
        UserEntity u = users.findByEmail(email).orElse(null);
        boolean created = u == null;
        if (created) {
            u = new UserEntity();
            u.id = UUID.randomUUID();
            u.email = email.value();
            u.emailNormalized = email.normalized();
            u.createdAt = Instant.now();
        }
        boolean passwordChanged = !created && !hasher.verify(password, u.passwordHash);
        if (created || passwordChanged) {
            u.passwordHash = hasher.hash(password);
            u.passwordChangedAt = Instant.now();
        }
        u.enabled = true;
        u.updatedAt = Instant.now();
        if (created) {
            users.persist(u);
            em.flush();
        }
        assignments.assign(Subject.USER, u.id, RoleName.ADMIN, RbacRepository.MANUAL);
        if (passwordChanged) {
            grants.revokeForUser(u.id, Instant.now());
        }
        if (created || passwordChanged) {
            audit.fire(AuditEvent.of("system", created ? "user.bootstrapped" : "user.password_set", u.id.toString()));
        }
    }

    /** SPEC section 6: the single user of MELTANO_AUTHENTICATION=false, holding admin, without a password. */
    @Transactional
    public void ensureBuiltInAdmin(String rawEmail) {
        Email email = Email.parse(rawEmail);
        if (users.findByEmail(email).isPresent()) {
            return;
        }
        UserEntity u = new UserEntity();
        u.id = UUID.randomUUID();
        u.email = email.value();
        u.emailNormalized = email.normalized();
        u.enabled = true;
        u.createdAt = Instant.now();
        u.updatedAt = u.createdAt;
        users.persist(u);
        em.flush();
        assignments.assign(Subject.USER, u.id, RoleName.ADMIN, RbacRepository.MANUAL);
        audit.fire(AuditEvent.of("system", "user.bootstrapped", u.id.toString()));
    }

    @Transactional
    public UserView get(UUID id) {
        return view(find(id));
    }

    @Transactional
    public List<UserView> list(String email, UUID after, int limit) {
        return users.page(email, after, limit).stream().map(this::view).toList();
    }

    @Transactional
    public UserView update(String actor, UUID id, UserChanges changes) {
        UserEntity u = find(id);
        boolean revoke = false;
        if (changes.password() != null) {
            PasswordPolicy.violation(changes.password(), u.email).ifPresent(r -> {
                throw ServiceException.invalid("password", r);
            });
            u.passwordHash = hasher.hash(changes.password());
            u.passwordChangedAt = Instant.now();
            revoke = true; // a password set by an admin revokes every grant and session
            sessions.revokeAllOf(u.id);
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
        if (revoke) {
            grants.revokeForUser(u.id, Instant.now());
        }
        audit.fire(AuditEvent.of(actor, "user.updated", id.toString(), Map.of(
                "password_changed", changes.password() != null,
                "enabled", u.enabled,
                "email_verified", u.emailVerified)));
        return view(u);
    }

    @Transactional
    public UserView replaceRoles(String actor, UUID id, Collection<String> roles) {
        UserEntity u = find(id);
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
        return view(u);
    }

    /**
     * A signed-in person changes their password (SPEC section 5): the current one is required when
     * there is one; every other session and grant of the user is revoked, the grants of the session
     * that made the change are kept.
     *
     * @return false when the current password is wrong (nothing changed)
     * @throws Throttle.Throttled when the current password may not be checked now (nothing changed)
     */
    public boolean changeOwnPassword(UUID id, String current, String next, String keepSid, boolean recentGitLabSignIn,
            String address) {
        Credential credential = credential(id);
        boolean reauthenticated = credential.passwordHash() != null
                ? currentPasswordMatches(credential, current, address)
                // no password yet: only a GitLab sign-in from the last 5 minutes counts (SPEC section 5)
                : recentGitLabSignIn;
        if (!reauthenticated) {
            return false;
        }
        QuarkusTransaction.joiningExisting().run(() -> setOwnPassword(id, next, keepSid));
        return true;
    }

    private void setOwnPassword(UUID id, String next, String keepSid) {
        UserEntity u = find(id);
        PasswordPolicy.violation(next, u.email).ifPresent(r -> {
            throw ServiceException.invalid("new_password", r);
        });
        u.passwordHash = hasher.hash(next);
        u.passwordChangedAt = Instant.now();
        u.updatedAt = u.passwordChangedAt;
        grants.revokeForUserExceptSession(id, keepSid, u.passwordChangedAt);
        sessions.revokeOthersOf(id, keepSid);
        audit.fire(AuditEvent.of(id.toString(), "user.password_changed", id.toString()));
    }

    /** Erasure (GDPR article 17): the account and everything hanging off it; audit keeps only the id. */
    @Transactional
    public void delete(String actor, UUID id) {
        UserEntity u = find(id);
        if (holdsAdmin(id) && u.enabled) {
            requireAnotherAdmin(id, "the last admin cannot be deleted");
        }
        em.remove(u); // roles, grants (and with them every token) cascade
        audit.fire(AuditEvent.of(actor, "user.deleted", id.toString()));
    }

    /** Everything stored about the user, no secrets or hashes (GDPR article 15). */
    @Transactional
    public Map<String, Object> export(UUID id) {
        UserEntity u = find(id);
        @SuppressWarnings("unchecked")
        List<Object[]> grantRows = em.createNativeQuery("select id, client_id, array_to_string(scopes, ' '), created_at, expires_at, revoked_at"
                + " from oauth_grant where user_id = ?1 order by created_at").setParameter(1, id).getResultList();
        @SuppressWarnings("unchecked")
        List<Object[]> identityRows = em.createNativeQuery("select issuer, subject, username, coalesce(email, ''), created_at,"
                + " last_login_at from federated_identity where user_id = ?1 order by created_at").setParameter(1, id).getResultList();
        return Map.of(
                "user", view(u),
                "linked_identities", identityRows.stream().map(r -> Map.of("provider", "gitlab", "issuer", r[0], "subject", r[1],
                        "username", r[2] == null ? "" : r[2], "email", r[3], "linked_at", r[4], "last_login_at", r[5])).toList(),
                "grants", grantRows.stream().map(r -> Map.of("id", r[0], "client_id", r[1], "scope", r[2],
                        "created_at", r[3], "expires_at", r[4], "revoked", r[5] != null)).toList(),
                "audit", auditLog.about(id.toString()));
    }

    private boolean holdsAdmin(UUID id) {
        return assignments.assignments(Subject.USER, id).stream().anyMatch(a -> a.role().equals(RoleName.ADMIN));
    }

    private void requireAnotherAdmin(UUID id, String message) {
        if (!holdsAdmin(id)) {
            return;
        }
        assignments.lockAdminMembership();
        if (assignments.otherEnabledAdmins(id) == 0) {
            throw ServiceException.conflict(null, message);
        }
    }

    private static Email email(String raw) {
        if (raw == null) {
            throw ServiceException.invalid("email", "is required");
        }
        try {
            return Email.parse(raw);
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid("email", e.getMessage());
        }
    }

    private UserEntity find(UUID id) {
        UserEntity u = id == null ? null : users.findById(id);
        if (u == null) {
            throw ServiceException.notFound("no user with this id");
        }
        return u;
    }

    private UserView view(UserEntity u) {
        List<RbacRepository.Assignment> roleAssignments = assignments.assignments(Subject.USER, u.id);
        List<String> roles = PermissionsClaim.roles(roleAssignments.stream().map(RbacRepository.Assignment::role).toList());
        return new UserView(u.id, u.email, u.emailVerified, u.enabled, roles, roleAssignments, linkedIdentities(u.id),
                u.passwordHash != null, u.createdAt, u.updatedAt);
    }

    private List<LinkedIdentity> linkedIdentities(UUID id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select issuer, subject, username from federated_identity where user_id = ?1"
                + " order by created_at").setParameter(1, id).getResultList();
        return rows.stream().map(r -> new LinkedIdentity("gitlab", (String) r[0], (String) r[1], (String) r[2])).toList();
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
            UserEntity u = find(id);
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
}
