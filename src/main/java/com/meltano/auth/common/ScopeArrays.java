package com.meltano.auth.common;

import java.util.Collection;

/**
 * A PostgreSQL {@code text[]} literal for bind parameters cast with {@code cast(? as text[])}.
 * Only known scope values (letters and underscores) are ever passed, so no element needs quoting;
 * anything else is refused rather than escaped.
 */
public final class ScopeArrays {

    private ScopeArrays() {
    }

    public static String literal(Collection<String> scopes) {
        for (String s : scopes) {
            if (!s.matches("[a-z_]+")) {
                throw new IllegalArgumentException("not a known scope value");
            }
        }
        return "{" + String.join(",", scopes) + "}";
    }
}
