package com.meltano.auth.oauth2;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The scope values of SPEC section 4 and the space-delimited syntax of RFC 6749 section 3.3. */
public final class Scopes {

    public static final String OPENID = "openid";
    public static final String PROFILE = "profile";
    public static final String EMAIL = "email";
    public static final String OFFLINE_ACCESS = "offline_access";
    public static final String ADMIN = "admin";

    /** Every scope this server knows, in the order discovery lists them. */
    public static final List<String> KNOWN = List.of(OPENID, PROFILE, EMAIL, OFFLINE_ACCESS, ADMIN);

    /** Scopes about a person: never granted to a client acting for itself. */
    public static final Set<String> USER_ONLY = Set.of(OPENID, PROFILE, EMAIL, OFFLINE_ACCESS);

    private Scopes() {
    }

    /**
     * Splits a {@code scope} parameter on spaces; null for an absent parameter. RFC 6749 allows
     * only %x21 / %x23-5B / %x5D-7E in a scope token.
     *
     * @throws IllegalArgumentException on characters outside that set
     */
    public static Set<String> parse(String value) {
        if (value == null) {
            return null;
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String token : value.split(" ")) {
            if (token.isEmpty()) {
                continue;
            }
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) {
                    throw new IllegalArgumentException("scope contains a character RFC 6749 section 3.3 does not allow");
                }
            }
            scopes.add(token);
        }
        return scopes;
    }

    /** Joined in the order of {@link #KNOWN}, for a stable {@code scope} claim and response. */
    public static String join(Collection<String> scopes) {
        return String.join(" ", KNOWN.stream().filter(scopes::contains).toList());
    }
}
