package com.meltano.auth.oauth2.client;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.meltano.auth.common.ServiceException;

/**
 * The subject types of OpenID Connect Core section 8 (SPEC section 12, "Pairwise subjects"):
 * {@code public} (the user id) and {@code pairwise} (a sub per sector). A pairwise client's sector
 * is a host name: the one it names, or else the one host its redirect URIs share (section 8.1). A
 * client with private-use-scheme redirect URIs has no host to default to, so it names its sector; so
 * does one with loopback redirect URIs, whose host every local app shares.
 */
public final class SubjectTypes {

    public static final String PUBLIC = "public";
    public static final String PAIRWISE = "pairwise";
    public static final List<String> SUPPORTED = List.of(PUBLIC, PAIRWISE);

    /** One DNS label (RFC 1123 section 2.1): letters, digits and inner hyphens, 1 to 63 characters, lowercase. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private SubjectTypes() {
    }

    /**
     * The sector a client's subjects are computed for: null for a public client; for a pairwise one
     * the named sector, or the single host of its redirect URIs.
     *
     * @throws ServiceException naming {@code subject_type} or {@code sector_identifier} when they cannot stand
     */
    static String sector(String subjectType, String sectorIdentifier, List<String> redirectUris) {
        if (!SUPPORTED.contains(subjectType)) {
            throw ServiceException.invalid("subject_type", "must be one of " + SUPPORTED);
        }
        if (PUBLIC.equals(subjectType)) {
            if (sectorIdentifier != null) {
                throw ServiceException.invalid("sector_identifier", "applies only to subject_type pairwise");
            }
            return null;
        }
        if (sectorIdentifier != null) {
            violation(sectorIdentifier).ifPresent(reason -> {
                throw ServiceException.invalid("sector_identifier", reason);
            });
            return sectorIdentifier;
        }
        if (redirectUris.isEmpty()) {
            throw ServiceException.invalid("sector_identifier", "is required for a pairwise client without redirect URIs");
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String uri : redirectUris) {
            String host = URI.create(uri).getHost();
            if (host == null) {
                throw ServiceException.invalid("sector_identifier",
                        "is required: a redirect URI with a private-use scheme (" + uri + ") has no host to default to");
            }
            host = host.toLowerCase(Locale.ROOT); // host names are case-insensitive (RFC 3986 section 3.2.2)
            if (RedirectUris.LOOPBACK_HOSTS.contains(host)) {
                // every native app on the machine shares the loopback host: as a sector it would link them
                throw ServiceException.invalid("sector_identifier",
                        "is required: a loopback redirect URI (" + uri + ") is shared by every local app, so its host names no sector");
            }
            hosts.add(host);
        }
        if (hosts.size() > 1) {
            throw ServiceException.invalid("sector_identifier",
                    "is required: the redirect URIs are on more than one host " + hosts + ", so none of them is the sector");
        }
        String host = hosts.iterator().next();
        if (violation(host).isPresent()) {
            throw ServiceException.invalid("sector_identifier", "is required: the redirect URIs' host " + host + " is not a host name");
        }
        return host;
    }

    /**
     * Why {@code value} is not a sector: a lowercase host name (RFC 1123) of dot-separated labels,
     * at most 253 characters, without a scheme, port, path or trailing dot, and not an IPv4 address. Lowercase only, since
     * the sector keys the sub byte for byte and a value is stored exactly as given.
     */
    public static Optional<String> violation(String value) {
        String shape = "must be a host name such as app.example.com (lowercase letters, digits and hyphens in"
                + " dot-separated labels of at most 63 characters), not a URL";
        if (value.isEmpty()) {
            return Optional.of("must not be empty; " + shape);
        }
        if (value.length() > 253) {
            return Optional.of("is longer than 253 characters");
        }
        if (!value.equals(value.toLowerCase(Locale.ROOT))) {
            return Optional.of("must be lowercase");
        }
        String[] labels = value.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of(shape);
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return Optional.of("must be a host name, not an IP address (RFC 1123 section 2.1: no all-numeric top-level label)");
        }
        return Optional.empty();
    }
}
