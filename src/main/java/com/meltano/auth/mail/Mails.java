package com.meltano.auth.mail;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.config.Issuer;

import io.quarkus.qute.TemplateInstance;

/**
 * Writes each mail of SPEC section 12. Links are built from the issuer (never from a request's Host
 * header) and carry nothing but the link's own single-use token; a mail never contains a password
 * or any other token.
 */
@ApplicationScoped
public class Mails {

    /** The pages mail links lead to. */
    public static final String VERIFY_EMAIL_PAGE = "/verify-email";
    public static final String RESET_PASSWORD_PAGE = "/reset-password";
    public static final String FORGOT_PASSWORD_PAGE = "/forgot-password";
    public static final String CONFIRM_EMAIL_PAGE = "/confirm-email";
    public static final String ACCOUNT_PAGE = "/account";

    @Inject
    Issuer issuer;

    public Mail verifyEmail(String to, String token, Duration validFor) {
        String link = link(VERIFY_EMAIL_PAGE, token);
        String d = describe(validFor);
        return of(to, "Verify your email address", MailTemplates.verifyEmailText(issuer.value(), link, d),
                MailTemplates.verifyEmailHtml(issuer.value(), link, d));
    }

    /** To the owner of an address someone tried to register again: sign in, or reset with this link. */
    public Mail registrationAttempt(String to, String resetToken, Duration validFor) {
        String signIn = issuer.resolve(ACCOUNT_PAGE);
        String reset = link(RESET_PASSWORD_PAGE, resetToken);
        String d = describe(validFor);
        return of(to, "Someone tried to register with your email address",
                MailTemplates.registrationAttemptText(issuer.value(), signIn, reset, d),
                MailTemplates.registrationAttemptHtml(issuer.value(), signIn, reset, d));
    }

    public Mail passwordReset(String to, String token, Duration validFor) {
        String link = link(RESET_PASSWORD_PAGE, token);
        String d = describe(validFor);
        return of(to, "Set a new password", MailTemplates.passwordResetText(issuer.value(), link, d),
                MailTemplates.passwordResetHtml(issuer.value(), link, d));
    }

    /** An account an admin created without a password: the link sets the first one. */
    public Mail invitation(String to, String token, Duration validFor) {
        String link = link(RESET_PASSWORD_PAGE, token);
        String d = describe(validFor);
        return of(to, "Your account is ready: choose your password", MailTemplates.invitationText(issuer.value(), link, d),
                MailTemplates.invitationHtml(issuer.value(), link, d));
    }

    /** To the new address of an email change: nothing changes until it is confirmed. */
    public Mail confirmEmailChange(String to, String token, Duration validFor) {
        String link = link(CONFIRM_EMAIL_PAGE, token);
        String d = describe(validFor);
        return of(to, "Confirm your new email address", MailTemplates.confirmEmailChangeText(issuer.value(), link, d),
                MailTemplates.confirmEmailChangeHtml(issuer.value(), link, d));
    }

    /** A notification to the account's address: something security-relevant happened to it. */
    public Mail notice(String to, String headline, String what) {
        String reset = issuer.resolve(FORGOT_PASSWORD_PAGE);
        return of(to, headline, MailTemplates.noticeText(issuer.value(), headline, what, reset),
                MailTemplates.noticeHtml(issuer.value(), headline, what, reset));
    }

    /**
     * A notification to an address the account no longer uses: a password reset asked for at that
     * address reaches no account, so the mail points to an administrator instead.
     */
    public Mail noticeToFormerAddress(String to, String headline, String what) {
        return of(to, headline, MailTemplates.noticeText(issuer.value(), headline, what, null),
                MailTemplates.noticeHtml(issuer.value(), headline, what, null));
    }

    private static Mail of(String to, String subject, TemplateInstance text, TemplateInstance html) {
        return new Mail(to, subject, text.render(), html.render());
    }

    private String link(String page, String token) {
        return issuer.resolve(page) + "?token=" + token;
    }

    /** "30 minutes", "7 days": how long a link works, as a person reads it. */
    static String describe(Duration d) {
        if (d.toDays() >= 1 && d.toHours() % 24 == 0) {
            return plural(d.toDays(), "day");
        }
        if (d.toHours() >= 1 && d.toMinutes() % 60 == 0) {
            return plural(d.toHours(), "hour");
        }
        return plural(Math.max(1, d.toMinutes()), "minute");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
