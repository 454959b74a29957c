package com.meltano.auth.account;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.mail.MailOutbox;
import com.meltano.auth.mail.MailSettings;
import com.meltano.auth.mail.Mails;

/**
 * Notifications to an account's address (SPEC section 12): its password changed or was reset, its
 * email changed (told to the old address). Queued in the transaction of the change; nothing when
 * mail is off. A notice carries no link but the public page to reset a password (none to the old
 * address of an email change, which that page no longer reaches).
 */
@ApplicationScoped
public class AccountNotices {

    /** A notice not delivered within three days is stale news. */
    static final Duration NOTICE_LIFETIME = Duration.ofDays(3);

    @Inject
    MailSettings settings;

    @Inject
    MailOutbox outbox;

    @Inject
    Mails mails;

    @Transactional(Transactional.TxType.MANDATORY)
    public void passwordChanged(UserEntity user) {
        send(user, "Your password was changed", "The password of your account (" + user.email + ") was changed.");
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void passwordReset(UserEntity user) {
        send(user, "Your password was reset", "The password of your account (" + user.email + ") was reset through a link"
                + " sent to this address. Every session of the account was signed out.");
    }

    /** To the address the account no longer uses. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void emailChanged(UserEntity user, String oldEmail) {
        if (settings.on()) {
            outbox.queue(user.id, mails.noticeToFormerAddress(oldEmail, "Your email address was changed",
                    "The account that used this address now uses " + user.email + " to sign in and to receive mail."),
                    NOTICE_LIFETIME);
        }
    }

    private void send(UserEntity user, String headline, String what) {
        if (settings.on()) {
            outbox.queue(user.id, mails.notice(user.email, headline, what), NOTICE_LIFETIME);
        }
    }

    /**
     * To the owner of an address that someone asked to make their own account's email (SPEC section
     * 12, "Changing the email"): the requester is answered as for a free address, so the address is
     * told instead of the requester.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void addressClaimed(UserEntity owner) {
        send(owner, "Someone tried to use your email address", "Someone asked to make this address the email of another"
                + " account. Nothing changed: your account (" + owner.email + ") still uses it. If that was you, sign in to"
                + " your account instead.");
    }
}
