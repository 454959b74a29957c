package com.meltano.auth.common;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

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
            if (s.isEmpty() || !s.chars().allMatch(c -> (c >= 'a' && c <= 'z') || c == '_')) {
                throw new IllegalArgumentException("not a known scope value");
            }
        }
        return "{" + String.join(",", scopes) + "}";
    }

    /** The scopes of a column read as {@code array_to_string(scopes, ' ')}, in their stored order. */
    public static Set<String> fromJoined(String joined) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : joined.split(" ")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return Collections.unmodifiableSet(out);
    }
}
