package com.meltano.auth.oauth2.authorize;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * Matches a requested {@code redirect_uri} against the registered ones (SPEC section 4): exact
 * string comparison, except that the port may vary for {@code http://127.0.0.1} and
 * {@code http://[::1]} (RFC 8252 section 7.3, native apps on an ephemeral loopback port). Never
 * a prefix, case-folded or normalized comparison (RFC 9700 section 4.1.3).
 */
public final class RedirectUriMatcher {

    private RedirectUriMatcher() {
    }

    public static Optional<String> match(List<String> registered, String requested) {
        if (requested == null) {
            return Optional.empty();
        }
        for (String candidate : registered) {
            if (candidate.equals(requested) || loopbackPortVariant(candidate, requested)) {
                return Optional.of(requested);
            }
        }
        return Optional.empty();
    }

    private static boolean loopbackPortVariant(String registered, String requested) {
        URI r;
        URI q;
        try {
            r = new URI(registered);
            q = new URI(requested);
        } catch (URISyntaxException e) {
            return false;
        }
        if (!"http".equals(r.getScheme()) || !"http".equals(q.getScheme())) {
            return false;
        }
        String host = r.getHost();
        if (!("127.0.0.1".equals(host) || "[::1]".equals(host)) || !host.equals(q.getHost())) {
            return false;
        }
        // everything but the port must be identical, byte for byte
        return r.getRawUserInfo() == null && q.getRawUserInfo() == null
                && equal(r.getRawPath(), q.getRawPath()) && equal(r.getRawQuery(), q.getRawQuery())
                && q.getRawFragment() == null
                && withoutPort(registered, r).equals(withoutPort(requested, q));
    }

    private static String withoutPort(String raw, URI uri) {
        return uri.getPort() < 0 ? raw : raw.replaceFirst(":" + uri.getPort() + "(?=[/?]|$)", "");
    }

    private static boolean equal(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
