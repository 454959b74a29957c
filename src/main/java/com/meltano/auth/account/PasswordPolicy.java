package com.meltano.auth.account;

import java.util.Locale;
import java.util.Optional;

/**
 * The password policy: 8 to 128 characters (counted in code points, so an emoji is one) and not
 * the account's own email. Length is the rule NIST SP 800-63B keeps; composition rules are not.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;

    private PasswordPolicy() {
    }

    /** The reason the password is refused, phrased without echoing it; empty when acceptable. */
    public static Optional<String> violation(String password, String email) {
        if (password == null) {
            return Optional.of("is required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH + " characters");
        }
        if (length > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (email != null && password.trim().toLowerCase(Locale.ROOT).equals(email.trim().toLowerCase(Locale.ROOT))) {
            return Optional.of("must not be the email address");
        }
        return Optional.empty();
    }
}
