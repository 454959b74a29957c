package com.meltano.auth.web;

/**
 * Which shape an error takes on a path, decided in one place for every failure the features do
 * not answer themselves (bad input refused at the edge, the database unavailable, a bug): RFC 6749
 * JSON at protocol endpoints (SPEC section 4), the admin API's JSON (section 9), a plain HTML page
 * for the authorization endpoint and the pages a person sees (section 5).
 */
public enum ResponseShape {

    /** RFC 6749 section 5.2 JSON: token, revocation, introspection, userinfo, JWKS, discovery. */
    PROTOCOL,
    /** SPEC section 9 JSON ({@code error}, {@code error_description}, {@code field}). */
    ADMIN,
    /** A plain page: the authorization endpoint never answers a browser with JSON. */
    PAGE,
    /** Not ours (framework endpoints under {@code /q}, static files): left to the framework. */
    OTHER;

    public static ResponseShape of(String path) {
        if (path == null || path.isEmpty()) {
            return OTHER;
        }
        if (path.equals("/oauth2/authorize") || path.startsWith("/oauth2/authorize/")) {
            return PAGE;
        }
        if (path.startsWith("/oauth2/") || path.equals("/userinfo") || path.startsWith("/.well-known/")) {
            return PROTOCOL;
        }
        if (path.equals("/admin/api") || path.startsWith("/admin/api/")) {
            return ADMIN;
        }
        if (under(path, "/login") || under(path, "/register") || under(path, "/consent") || under(path, "/account")
                || under(path, "/logout")) {
            return PAGE;
        }
        // the admin console (SPEC section 11): pages, like the ones above
        if (under(path, "/admin")) {
            return PAGE;
        }
        // the pages of SPEC section 12 that mail links and "Forgot password?" open
        if (under(path, "/verify-email") || under(path, "/forgot-password") || under(path, "/reset-password")
                || under(path, "/confirm-email")) {
            return PAGE;
        }
        return OTHER;
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
