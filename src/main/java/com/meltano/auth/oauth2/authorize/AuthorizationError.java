package com.meltano.auth.oauth2.authorize;

/**
 * An error of an authorization request. When {@link #redirectUri()} is set, the client and the
 * redirect URI were verified and the error goes back to the client (RFC 6749 section 4.1.2.1,
 * with {@code state} and {@code iss}); otherwise it must be shown to the user as a page, never
 * redirected (an open redirector otherwise).
 */
public class AuthorizationError extends RuntimeException {

    private final String code;
    private final String redirectUri;
    private final String state;

    private AuthorizationError(String code, String description, String redirectUri, String state) {
        super(description, null, false, false);
        this.code = code;
        this.redirectUri = redirectUri;
        this.state = state;
    }

    /** The client or redirect URI cannot be trusted: an HTML error page, status 400. */
    public static AuthorizationError page(String description) {
        return new AuthorizationError("invalid_request", description, null, null);
    }

    public static AuthorizationError redirect(String code, String description, String redirectUri, String state) {
        return new AuthorizationError(code, description, redirectUri, state);
    }

    public String code() {
        return code;
    }

    public String redirectUri() {
        return redirectUri;
    }

    public String state() {
        return state;
    }
}
