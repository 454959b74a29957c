package com.meltano.auth.verifier;

/**
 * A token that must not be trusted. The message says why in plain words (for logs and 401
 * bodies); it never contains the token.
 */
public final class TokenVerificationException extends Exception {

    private static final long serialVersionUID = 1L;

    public TokenVerificationException(String message) {
        super(message);
    }

    TokenVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
