package com.meltano.auth.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** A signed-in browser (SSO session). {@code sid} is the public id put into ID tokens. */
public record UserSession(byte[] idHash, String sid, UUID userId, String email, Instant authTime, String csrf,
        AuthMethod authMethod) {

    /** How the person proved who they are when the session started; a new way of signing in adds a value. */
    public enum AuthMethod {
        PASSWORD, GITLAB;

        String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        static AuthMethod ofColumn(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /** A GitLab sign-in no older than {@code maxAge}: the re-authentication of a password-less account. */
    public boolean recentGitLabSignIn(Duration maxAge, Instant now) {
        return authMethod == AuthMethod.GITLAB && !authTime.plus(maxAge).isBefore(now);
    }

    public BrowserSubject subject() {
        return new BrowserSubject(userId, email, sid, authTime);
    }
}
