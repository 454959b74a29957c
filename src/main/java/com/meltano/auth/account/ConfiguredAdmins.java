package com.meltano.auth.account;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.RoleName;
import com.meltano.auth.rbac.Subject;

/**
 * The admins that configuration asks for at start: the bootstrap admin of SPEC section 3 and the
 * built-in admin of section 6. Idempotent; a missing account is made by {@link NewUsers}.
 */
@ApplicationScoped
public class ConfiguredAdmins {

    @Inject
    UserRepository users;

    @Inject
    NewUsers newUsers;

    @Inject
    PasswordHasher hasher;

    @Inject
    RbacRepository assignments;

    @Inject
    GrantRepository grants;

    @Inject
    Event<AuditEvent> audit;

    /** The bootstrap admin of SPEC section 3: exists, enabled, holds admin, has this password. */
    @Transactional
    public void ensureBootstrapAdmin(String rawEmail, String password) {
        Email email = Email.parse(rawEmail);
        UserEntity u = users.findByEmail(email).orElse(null);
        if (u == null) {
            u = newUsers.configuredAdmin(email, password);
            audit.fire(AuditEvent.of("system", "user.bootstrapped", u.id.toString()));
            return;
        }
        boolean passwordChanged = !hasher.verify(password, u.passwordHash);
        if (passwordChanged) {
            u.passwordHash = hasher.hash(password);
            u.passwordChangedAt = Instant.now();
        } else if (!hasher.isCurrent(u.passwordHash)) {
            u.passwordHash = hasher.hash(password); // the same password at today's parameters
        }
        u.enabled = true;
        u.updatedAt = Instant.now();
        users.update(u);
        assignments.assign(Subject.USER, u.id, RoleName.ADMIN, RbacRepository.MANUAL);
        if (passwordChanged) {
            // the configured password replaces the old one: what the old one opened is closed
            grants.revokeForUser(u.id, Instant.now());
            audit.fire(AuditEvent.of("system", "user.password_set", u.id.toString()));
        }
    }

    /** SPEC section 6: the single user of MELTANO_AUTHENTICATION=false, holding admin, without a password. */
    @Transactional
    public void ensureBuiltInAdmin(String rawEmail) {
        Email email = Email.parse(rawEmail);
        if (users.findByEmail(email).isEmpty()) {
            UserEntity u = newUsers.configuredAdmin(email, null);
            audit.fire(AuditEvent.of("system", "user.bootstrapped", u.id.toString()));
        }
    }
}
