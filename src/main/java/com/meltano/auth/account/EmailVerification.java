package com.meltano.auth.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.mail.MailOutbox;
import com.meltano.auth.mail.MailSettings;
import com.meltano.auth.mail.Mails;
import com.meltano.auth.throttle.Throttle;

/**
 * Email verification (SPEC section 12): a link to {@code /verify-email} whose use sets
 * {@code email_verified}. Sent at registration, again from the account page (throttled per email
 * and address) or by an admin. A newer link voids the older ones.
 */
@ApplicationScoped
public class EmailVerification {

    static final Duration LINK_LIFETIME = Duration.ofHours(24);

    @Inject
    EmailLinks links;

    @Inject
    MailOutbox outbox;

    @Inject
    Mails mails;

    @Inject
    MailSettings settings;

    @Inject
    UserViews views;

    @Inject
    UserRepository users;

    @Inject
    Throttle throttle;

    @Inject
    Event<AuditEvent> audit;

    /** What a used link proved: the account, and the registration's login flow when it came from one. */
    public record Verified(UUID userId, String flowId) {
    }

    /** Queues a verification mail for {@code user} in the caller's transaction; {@code flowId}: the registration's flow. */
    @Transactional(Transactional.TxType.MANDATORY)
    void send(UserEntity user, String flowId) {
        String token = links.issue(user.id, EmailLinks.Purpose.VERIFY_EMAIL, LINK_LIFETIME, null, flowId);
        outbox.queue(user.id, mails.verifyEmail(user.email, token, LINK_LIFETIME), LINK_LIFETIME);
    }

    /**
     * The account page's "send the link again".
     *
     * @return false when the email is already verified (nothing sent)
     * @throws Throttle.Throttled when this email or address asked too often
     */
    @Transactional
    public boolean resend(UUID userId, String address) {
        settings.requireOn(null);
        UserEntity u = views.find(userId);
        if (u.emailVerified) {
            return false;
        }
        throttle.mailRequest(u.emailNormalized, address);
        send(u, null);
        audit.fire(AuditEvent.of(userId.toString(), "user.verification_sent", userId.toString()));
        return true;
    }

    /** An admin sends the verification link again (console, REST API). */
    @Transactional
    public void resendByAdmin(String actor, UUID userId) {
        settings.requireOn(null);
        UserEntity u = views.find(userId);
        if (u.emailVerified) {
            throw ServiceException.conflict("email_verified", "the email is already verified");
        }
        send(u, null);
        audit.fire(AuditEvent.of(actor, "user.verification_sent", userId.toString()));
    }

    /** Whether a verification link mailed to the account can still be used (the page says to open it, or to ask for one). */
    public boolean linkPending(UUID userId) {
        return links.anyLive(userId, EmailLinks.Purpose.VERIFY_EMAIL);
    }

    /** Whether {@code token} is a live verification link (the GET of the link's page changes nothing). */
    public boolean live(String token) {
        return links.peek(EmailLinks.Purpose.VERIFY_EMAIL, token).isPresent();
    }

    /** Uses the link: the account's email is verified. Empty when the link is not live (used, voided, expired). */
    @Transactional
    public Optional<Verified> verify(String token) {
        Optional<EmailLinks.Link> link = links.use(EmailLinks.Purpose.VERIFY_EMAIL, token);
        link.ifPresent(l -> {
            UserEntity u = views.find(l.userId());
            if (!u.emailVerified) {
                u.emailVerified = true;
                u.updatedAt = Instant.now();
                users.update(u);
            }
            audit.fire(AuditEvent.of(l.userId().toString(), "user.email_verified", l.userId().toString()));
        });
        return link.map(l -> new Verified(l.userId(), l.flowId()));
    }
}
