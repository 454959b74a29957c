package com.meltano.auth.mail;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.common.ServiceException;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.Issuer;

/**
 * Whether mail is on (SPEC section 12: {@code MELTANO_AUTH_SMTP_URL} is set) and who sends it.
 * Everything that needs mail asks {@link #on()} first; with mail off it is not offered at all.
 */
@ApplicationScoped
public class MailSettings {

    private final boolean on;
    private final String from;
    private final boolean requireVerifiedEmail;

    @Inject
    public MailSettings(AuthConfig config, Issuer issuer) {
        this.on = config.auth().smtpUrl().filter(u -> !u.isBlank()).isPresent();
        this.from = config.auth().mailFrom().filter(f -> !f.isBlank()).orElseGet(() -> defaultFrom(issuer));
        this.requireVerifiedEmail = config.auth().requireVerifiedEmail();
    }

    public boolean on() {
        return on;
    }

    /**
     * Refuses what needs mail when mail is off (SPEC section 12), naming {@code field} (null: none).
     *
     * @throws ServiceException {@code INVALID}
     */
    public void requireOn(String field) {
        if (!on) {
            throw ServiceException.invalid(field, "mail is off (MELTANO_AUTH_SMTP_URL is not set)");
        }
    }

    /** The {@code From} of every mail: {@code MELTANO_AUTH_MAIL_FROM}, else {@code no-reply@} the issuer's host. */
    public String from() {
        return from;
    }

    /** {@code MELTANO_AUTH_REQUIRE_VERIFIED_EMAIL} (start-up refuses it without mail). */
    public boolean requireVerifiedEmail() {
        return requireVerifiedEmail;
    }

    static String defaultFrom(Issuer issuer) {
        String host = issuer.uri().getHost();
        if (host.startsWith("[")) {
            host = "localhost"; // an IPv6 literal makes no mail domain
        }
        return "no-reply@" + host;
    }
}
