package com.meltano.auth.oauth2.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Registration rules for redirect URIs (SPEC section 4, RFC 8252, RFC 9700 section 4.1):
 * {@code https}; {@code http} only on a loopback host; private-use schemes that contain a dot
 * (reverse domain names, RFC 8252 section 7.1); never a fragment or a wildcard.
 */
public final class RedirectUris {

    static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]", "localhost");

    private RedirectUris() {
    }

    /** Why the URI cannot be registered; empty when it can. */
    public static Optional<String> violation(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.of("is required");
        }
        if (raw.length() > 2000) {
            return Optional.of("is longer than 2000 characters");
        }
        if (raw.contains("#")) {
            return Optional.of("must not contain a fragment");
        }
        if (raw.contains("*")) {
            return Optional.of("must not contain a wildcard");
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URI");
        }
        if (!uri.isAbsolute()) {
            return Optional.of("must be an absolute URI");
        }
        if (uri.getPort() > 65535) {
            return Optional.of("has a port above 65535");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "https" -> {
                if (uri.getHost() == null) {
                    return Optional.of("must have a host");
                }
                if (uri.getRawUserInfo() != null) {
                    return Optional.of("must not contain user info");
                }
            }
            case "http" -> {
                if (uri.getHost() == null || !LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
                    return Optional.of("may use http only on 127.0.0.1, [::1] or localhost");
                }
                if (uri.getRawUserInfo() != null) {
                    return Optional.of("must not contain user info");
                }
            }
            default -> {
                if (!scheme.contains(".")) {
                    return Optional.of("must use https, loopback http, or a private-use scheme containing a dot");
                }
            }
        }
        return Optional.empty();
    }
}
