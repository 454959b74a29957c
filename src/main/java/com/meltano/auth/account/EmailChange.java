package com.meltano.auth.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.common.SqlFailure;
import com.meltano.auth.mail.MailOutbox;
import com.meltano.auth.mail.MailSettings;
import com.meltano.auth.mail.Mails;
import com.meltano.auth.throttle.Throttle;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Changing the email of one's own account (SPEC section 12, "Changing the email"): it takes effect
 * only when the new address follows its link, and the old address is told.
 *
 * <p>The request needs re-authentication as every change on the account page does (SPEC section
 * 5: the current password, throttled; for an account without one, a GitLab sign-in from the last
 * 5 minutes), and is throttled per (new address, source address) like every request that sends
 * mail. It answers the same whether or not the new address already has an account (no
 * enumeration): a free address gets a link valid 24 hours, whose use voids nothing but itself and
 * older links of the account; a taken address gets, instead, a notice to its owner that someone
 * tried to use it. Following the link changes the address, counts it as verified (the link proved
 * it), voids the links mailed to the old address (a verification link there would otherwise
 * "verify" the new address, a reset link would let the old address take the account back), tells
 * the old address and records an audit entry. The unique index on the normalized email decides a
 * race with a registration or another change: the loser changes nothing.
 *
 * <p>Sessions and grants are kept. No credential changed: each session was opened with the
 * password or the GitLab identity that still signs the person in, so signing them out would cost
 * the person their other devices and stop no one who knows the password (they would just sign in
 * again). What guards the change is the re-authentication, the proof of the new address and the
 * notice to the old one, which carries the way to reset the password; a reset revokes every
 * session and grant (see {@link PasswordReset}). Tokens issued later carry the new address, as
 * every claim is read from the account when a token is issued.
 */
@ApplicationScoped
public class EmailChange {

    /** How long the link to the new address works. */
    public static final Duration LINK_LIFETIME = Duration.ofHours(24);

    /** What following a link did. */
    public enum Outcome {
        /** the account now uses the new address */
        CHANGED,
        /** the link was used, voided by a newer one, expired, or its account is gone or disabled: nothing changed */
        NOT_LIVE,
        /** the new address got an account meanwhile: nothing changed, the link is used up */
        TAKEN
    }

    @Inject
    UserRepository users;

    @Inject
    UserViews views;

    @Inject
    OwnAccount ownAccount;

    @Inject
    EmailLinks links;

    @Inject
    MailOutbox outbox;

    @Inject
    Mails mails;

    @Inject
    MailSettings settings;

    @Inject
    AccountNotices notices;

    @Inject
    Throttle throttle;

    @Inject
    Event<AuditEvent> audit;

    /**
     * The account page's "Change email": mails a link to {@code rawNewEmail} when re-authentication
     * succeeds; nothing about the account changes yet.
     *
     * @return false when re-authentication failed (nothing sent)
     * @throws ServiceException {@code INVALID} {@code new_email} when the input is not an email
     *         address, {@code CONFLICT} {@code new_email} when it is the account's own address,
     *         {@code INVALID} without a field when mail is off
     * @throws Throttle.Throttled when the password may not be checked now, or this new address or
     *         this source address asked too often (nothing sent)
     */
    public boolean request(UUID userId, String rawNewEmail, String currentPassword, boolean recentGitLabSignIn, String address) {
        settings.requireOn(null);
        Email next = newEmail(rawNewEmail);
        String current = QuarkusTransaction.joiningExisting().call(() -> views.find(userId).emailNormalized);
        if (current.equals(next.normalized())) {
            throw ServiceException.conflict("new_email", "is already the email address of this account");
        }
        if (!ownAccount.reauthenticated(userId, currentPassword, recentGitLabSignIn, address)) {
            return false;
        }
        QuarkusTransaction.requiringNew().run(() -> send(userId, next, address));
        return true;
    }

    private static Email newEmail(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ServiceException.invalid("new_email", "is required");
        }
        try {
            return Email.parse(raw);
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid("new_email", e.getMessage());
        }
    }

    private void send(UUID userId, Email next, String address) {
        throttle.mailRequest(next.normalized(), address);
        Optional<UserEntity> owner = users.findByEmail(next);
        if (owner.isPresent()) {
            // the same answer as for a free address; the address's owner learns that someone tried
            notices.addressClaimed(owner.get());
            audit.fire(AuditEvent.of(userId.toString(), "user.email_change_refused", userId.toString()));
            return;
        }
        String token = links.issue(userId, EmailLinks.Purpose.CHANGE_EMAIL, LINK_LIFETIME, next.value(), null);
        outbox.queue(userId, mails.confirmEmailChange(next.value(), token, LINK_LIFETIME), LINK_LIFETIME);
        audit.fire(AuditEvent.of(userId.toString(), "user.email_change_requested", userId.toString()));
    }

    /** The new address a live link would give its account, for the link's page; empty when the link is not live. */
    public Optional<String> pending(String token) {
        return links.peek(EmailLinks.Purpose.CHANGE_EMAIL, token).map(EmailLinks.Link::newEmail);
    }

    /** Uses the link {@code token}: the account's email becomes the new address (see the class comment). */
    public Outcome confirm(String token) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> apply(token));
        } catch (TakenMeanwhile e) {
            // the unique index refused it: a registration or another change won the race; the
            // transaction rolled back, and the next attempt finds the address taken before writing
            return Outcome.TAKEN;
        }
    }

    private Outcome apply(String token) {
        Optional<EmailLinks.Link> link = links.use(EmailLinks.Purpose.CHANGE_EMAIL, token);
        if (link.isEmpty()) {
            return Outcome.NOT_LIVE;
        }
        UserEntity u = users.findById(link.get().userId());
        if (u == null || !u.enabled) {
            return Outcome.NOT_LIVE;
        }
        Email next;
        try {
            next = Email.parse(link.get().newEmail());
        } catch (IllegalArgumentException refusedSinceSent) {
            return Outcome.NOT_LIVE; // asked for under looser rules than today's
        }
        Optional<UserEntity> owner = users.findByEmail(next);
        if (owner.isPresent() && !owner.get().id.equals(u.id)) {
            return Outcome.TAKEN;
        }
        String oldEmail = u.email;
        u.email = next.value();
        u.emailNormalized = next.normalized();
        u.emailVerified = true; // following the link proved the address
        u.updatedAt = Instant.now();
        try {
            users.update(u);
        } catch (SqlFailure e) {
            if (e.isUniqueViolation()) {
                throw new TakenMeanwhile();
            }
            throw e;
        }
        links.voidAll(u.id, EmailLinks.Purpose.VERIFY_EMAIL);
        links.voidAll(u.id, EmailLinks.Purpose.SET_PASSWORD);
        notices.emailChanged(u, oldEmail);
        audit.fire(AuditEvent.of(u.id.toString(), "user.email_changed", u.id.toString()));
        return Outcome.CHANGED;
    }

    /** The new address's unique index refused the change; rolls the transaction back. */
    private static final class TakenMeanwhile extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TakenMeanwhile() {
            super("the new email address belongs to another account", null, false, false);
        }
    }
}
