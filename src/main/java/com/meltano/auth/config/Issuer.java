package com.meltano.auth.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * The issuer identifier (RFC 8414 section 2, OIDC Discovery section 3): absolute, no query, no
 * fragment, no trailing slash, {@code https} unless the host is loopback. Kept byte for byte: it is
 * compared as a string by every verifier.
 */
public record Issuer(String value, URI uri) {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    public static Issuer parse(String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("is not a URL");
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw new IllegalArgumentException("must be an absolute URL with a host");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("must use https (or http on a loopback host)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || raw.contains("?") || raw.contains("#")) {
            throw new IllegalArgumentException("must not have a query or fragment");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not contain user info");
        }
        if (raw.endsWith("/")) {
            throw new IllegalArgumentException("must not end with a slash");
        }
        Issuer issuer = new Issuer(raw, uri);
        if (scheme.equals("http") && !issuer.isLoopback()) {
            throw new IllegalArgumentException("must use https unless the host is localhost, 127.0.0.1 or [::1]");
        }
        return issuer;
    }

    public boolean isLoopback() {
        return LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
    }

    public boolean isHttps() {
        return "https".equalsIgnoreCase(uri.getScheme());
    }

    /** An endpoint URL under the issuer. */
    public String resolve(String path) {
        return value + path;
    }

    @Override
    public String toString() {
        return value;
    }
}
