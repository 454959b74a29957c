package com.meltano.auth.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.mail.MailOutbox;
import com.meltano.auth.mail.MailSettings;
import com.meltano.auth.mail.Mails;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.session.Sessions;
import com.meltano.auth.throttle.Throttle;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Setting a password through a mailed link (SPEC section 12): "Forgot password?" (the answer is the
 * same whether or not the email has an account; throttled per email and per address; the link
 * lives 30 minutes and a newer one voids the older), and an admin's invitation (an account without
 * a password whose first password is chosen through the same kind of link, valid 7 days). Setting
 * the password revokes every session and grant of the account, counts the email as verified and
 * mails a notification.
 */
@ApplicationScoped
public class PasswordReset {

    public static final Duration LINK_LIFETIME = Duration.ofMinutes(30);
    public static final Duration INVITATION_LIFETIME = Duration.ofDays(7);

    @Inject
    UserRepository users;

    @Inject
    UserViews views;

    @Inject
    NewUsers newUsers;

    @Inject
    EmailLinks links;

    @Inject
    MailOutbox outbox;

    @Inject
    Mails mails;

    @Inject
    MailSettings settings;

    @Inject
    Throttle throttle;

    @Inject
    PasswordHasher hasher;

    @Inject
    GrantRepository grants;

    @Inject
    Sessions sessions;

    @Inject
    AccountNotices notices;

    @Inject
    Event<AuditEvent> audit;

    /**
     * "Forgot password?": mails a reset link when {@code rawEmail} belongs to an enabled account, and
     * otherwise does nothing, with the same answer and the same throttling either way.
     *
     * @throws ServiceException {@code email} when the input is not an email address
     * @throws Throttle.Throttled when this email or this address asked too often
     */
    @Transactional
    public void request(String rawEmail, String address) {
        Email email = NewUsers.email(rawEmail);
        throttle.mailRequest(email.normalized(), address);
        Optional<UserEntity> user = users.findByEmail(email).filter(u -> u.enabled);
        if (user.isEmpty()) {
            // the same work without a trace, so that the answer takes as long as for an account
            links.voidAll(UUID.randomUUID(), EmailLinks.Purpose.SET_PASSWORD);
            outbox.rehearse(mails.passwordReset(email.value(), OpaqueTokens.newToken(), LINK_LIFETIME));
            return;
        }
        sendLink(user.get(), LINK_LIFETIME, false);
        audit.fire(AuditEvent.of(user.get().id.toString(), "user.password_reset_requested", user.get().id.toString()));
    }

    /**
     * An admin creates an account and invites its owner by mail to choose a password (SPEC sections
     * 11 and 12), instead of setting one.
     */
    @Transactional
    public UserView invite(String actor, String rawEmail, Collection<String> roles) {
        settings.requireOn("invite");
        UserView created = newUsers.create(actor, rawEmail, null, roles);
        sendLink(views.find(created.id()), INVITATION_LIFETIME, true);
        audit.fire(AuditEvent.of(actor, "user.invited", created.id().toString()));
        return created;
    }

    /** Queues a set-password link for {@code user} in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    String sendLink(UserEntity user, Duration validFor, boolean invitation) {
        String token = links.issue(user.id, EmailLinks.Purpose.SET_PASSWORD, validFor, null, null);
        outbox.queue(user.id, invitation ? mails.invitation(user.email, token, validFor)
                : mails.passwordReset(user.email, token, validFor), validFor);
        return token;
    }

    /** The account behind a live set-password link: its email, and whether it has a password yet (an invitation: not). */
    public record LinkAccount(String email, boolean hasPassword) {
    }

    /** The account behind a live link, for the form's page; empty when the link is not live. */
    public Optional<LinkAccount> linkAccount(String token) {
        return links.peek(EmailLinks.Purpose.SET_PASSWORD, token).map(l -> QuarkusTransaction.joiningExisting().call(() -> {
            UserEntity u = views.find(l.userId());
            return new LinkAccount(u.email, u.passwordHash != null);
        }));
    }

    /** What a link's password did: nothing (the link was not live), a new password, or an invitation's first one. */
    public enum Outcome {
        NOT_LIVE,
        CHANGED,
        FIRST_SET
    }

    /**
     * Sets the password chosen through the link {@code token}, then uses the link up.
     *
     * @return {@link Outcome#NOT_LIVE} when the link is not live (used, voided by a newer one,
     *     expired): nothing changed
     * @throws ServiceException {@code password} when the password breaks the policy (the link stays live)
     */
    public Outcome reset(String token, String password) {
        Optional<EmailLinks.Link> link = links.peek(EmailLinks.Purpose.SET_PASSWORD, token);
        if (link.isEmpty()) {
            return Outcome.NOT_LIVE;
        }
        String email = QuarkusTransaction.joiningExisting().call(() -> views.find(link.get().userId()).email);
        if (password == null) {
            throw ServiceException.invalid("password", "is required");
        }
        PasswordPolicy.violation(password, email).ifPresent(r -> {
            throw ServiceException.invalid("password", r);
        });
        String hash = hasher.hash(password); // before the transaction: Argon2id must not hold a connection
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<EmailLinks.Link> used = links.use(EmailLinks.Purpose.SET_PASSWORD, token);
            if (used.isEmpty()) {
                return Outcome.NOT_LIVE; // another tab or replica used it first
            }
            UserEntity u = views.find(used.get().userId());
            boolean first = u.passwordHash == null; // an invitation's link
            Instant now = Instant.now();
            u.passwordHash = hash;
            u.passwordChangedAt = now;
            u.emailVerified = true; // following the link proved the address
            u.updatedAt = now;
            users.update(u);
            sessions.revokeAllOf(u.id);
            grants.revokeForUser(u.id, now);
            notices.passwordReset(u);
            audit.fire(AuditEvent.of(u.id.toString(), "user.password_reset", u.id.toString()));
            return first ? Outcome.FIRST_SET : Outcome.CHANGED;
        });
    }
}
