package com.meltano.auth.oauth2;

import java.util.Map;

/**
 * The one error type of the protocol layer (RFC 6749 section 5.2): a registered error code, a
 * human-readable description (never a secret), the HTTP status, and any headers the RFC asks for
 * ({@code WWW-Authenticate} with 401, {@code Retry-After} with 429). Mapped to JSON in one place.
 */
public class OAuthError extends RuntimeException {

    private final String code;
    private final int status;
    private final Map<String, String> headers;

    public OAuthError(String code, String description, int status, Map<String, String> headers) {
        super(description, null, false, false);
        this.code = code;
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", description, 400, Map.of());
    }

    /** RFC 6749 section 5.2: 401 with a {@code WWW-Authenticate} challenge for the scheme used. */
    public static OAuthError invalidClient(String description) {
        return new OAuthError("invalid_client", description, 401,
                Map.of("WWW-Authenticate", "Basic realm=\"meltano-auth\", charset=\"UTF-8\""));
    }

    public static OAuthError throttled(long retryAfterSeconds) {
        return new OAuthError("invalid_client", "too many failed attempts; retry later", 429,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public static OAuthError invalidGrant(String description) {
        return new OAuthError("invalid_grant", description, 400, Map.of());
    }

    public static OAuthError unauthorizedClient(String description) {
        return new OAuthError("unauthorized_client", description, 400, Map.of());
    }

    public static OAuthError unsupportedGrantType(String description) {
        return new OAuthError("unsupported_grant_type", description, 400, Map.of());
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError("invalid_scope", description, 400, Map.of());
    }

    /** RFC 6749 section 5.2 / 4.1.2.1: the server cannot answer now (503 with {@code Retry-After}). */
    public static OAuthError temporarilyUnavailable(String description, long retryAfterSeconds) {
        return new OAuthError("temporarily_unavailable", description, 503, Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public String code() {
        return code;
    }

    public String description() {
        return getMessage();
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
