package com.meltano.auth.account;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.mail.MailOutbox;
import com.meltano.auth.mail.Mails;
import com.meltano.auth.throttle.Throttle;

/**
 * Registration with mail on (SPEC section 12), without enumeration: a new email gets an account
 * (unverified) and a verification link; an email that already has an account gets nothing new, and
 * its owner is told by mail that someone tried, with a sign-in and a reset link. Both end the same
 * way for the person who registered, after the same work (the password is hashed either way), and
 * both count against the same per-email and per-address throttle.
 */
@ApplicationScoped
public class MailedRegistration {

    @Inject
    UserRepository users;

    @Inject
    UserViews views;

    @Inject
    NewUsers newUsers;

    @Inject
    EmailVerification verification;

    @Inject
    EmailLinks links;

    @Inject
    MailOutbox outbox;

    @Inject
    Mails mails;

    @Inject
    PasswordHasher hasher;

    @Inject
    Throttle throttle;

    @Inject
    Event<AuditEvent> audit;

    /**
     * @param flowId the login flow the registration belongs to: its link resumes it in the same browser
     * @throws ServiceException {@code email} or {@code password} for input the form must correct
     *         (the same for a new and for a known email)
     * @throws Throttle.Throttled when this email or this address registered too often
     */
    @Transactional
    public void register(String rawEmail, String password, String flowId, String address) {
        Email email = NewUsers.email(rawEmail);
        if (password == null) {
            throw ServiceException.invalid("password", "is required");
        }
        PasswordPolicy.violation(password, email.value()).ifPresent(r -> {
            throw ServiceException.invalid("password", r);
        });
        throttle.mailRequest(email.normalized(), address);
        Optional<UserEntity> existing = users.findByEmail(email);
        if (existing.isPresent()) {
            hasher.hash(password); // the work a new account costs, so that the answer takes as long
            UserEntity u = existing.get();
            if (u.enabled) {
                String reset = links.issue(u.id, EmailLinks.Purpose.SET_PASSWORD, PasswordReset.LINK_LIFETIME, null, null);
                outbox.queue(u.id, mails.registrationAttempt(u.email, reset, PasswordReset.LINK_LIFETIME), PasswordReset.LINK_LIFETIME);
                audit.fire(AuditEvent.of(u.id.toString(), "user.registration_attempted", u.id.toString()));
            }
            return;
        }
        UUID id = newUsers.register(email.value(), password);
        verification.send(views.find(id), flowId);
    }
}
