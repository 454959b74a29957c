package com.meltano.auth.verifier;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Glob matching of permission types and contexts, as defined in SPEC section 8
 * ("Permission context matching"): the server, the verifier library and the documentation all
 * agree on exactly this behaviour.
 *
 * <ul>
 *   <li>the whole text must match (anchored at both ends);</li>
 *   <li>{@code *} matches any run of code points, the empty run and dots included;</li>
 *   <li>{@code ?} matches exactly one Unicode code point (a surrogate pair is one code point);</li>
 *   <li>every other character matches itself, case-sensitively; there are no escapes and no
 *       character classes, so regex metacharacters such as {@code . + ( [ \ ^ $ |} are
 *       literal.</li>
 * </ul>
 *
 * <p>Why no regex: translating a pattern into a {@link java.util.regex.Pattern} would make an
 * administrator-supplied pattern such as {@code *a*a*a*a*b} a backtracking bomb (ReDoS) against
 * a long context name, and would need careful quoting of every metacharacter. The matcher here
 * is the classic greedy two-pointer wildcard algorithm: on a mismatch it only ever resumes from
 * the most recent {@code *}, so it runs in at worst O(|pattern| x |text|) steps, with no
 * recursion and constant extra space beyond the code point arrays.
 */
public final class ContextMatcher {

    private static final int STAR = '*';
    private static final int ANY_ONE = '?';

    private ContextMatcher() {
    }

    /**
     * Tells whether {@code text} matches {@code pattern} in full (SPEC section 8).
     *
     * @param pattern the glob pattern, using {@code *} and {@code ?}
     * @param text the type or context name being tested
     * @return true when the whole text matches the pattern
     * @throws NullPointerException if either argument is null
     */
    public static boolean matches(String pattern, String text) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(text, "text");
        int[] p = pattern.codePoints().toArray();
        int[] t = text.codePoints().toArray();

        int pi = 0;
        int ti = 0;
        int lastStar = -1;     // index in p of the most recent '*', or -1
        int starMatchEnd = 0;  // index in t just after what that '*' currently swallows
        while (ti < t.length) {
            if (pi < p.length && p[pi] == STAR) {
                // Tentatively let the star match the empty run; widen it on a later mismatch.
                lastStar = pi++;
                starMatchEnd = ti;
            } else if (pi < p.length && (p[pi] == ANY_ONE || p[pi] == t[ti])) {
                pi++;
                ti++;
            } else if (lastStar >= 0) {
                // Only the latest star is ever widened: earlier stars can absorb nothing the
                // latest cannot, which is what bounds the work to O(|p| x |t|).
                pi = lastStar + 1;
                ti = ++starMatchEnd;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == STAR) {
            pi++;
        }
        return pi == p.length;
    }

    /**
     * Tells whether a {@code permissions} claim (SPEC section 7) grants {@code name} of the given
     * {@code type} (SPEC section 8): true when some key {@code k} has {@code matches(k, type)} and
     * some pattern {@code p} listed under that same key has {@code matches(p, name)}.
     *
     * <p>Callers must use this rather than looking {@code type} up as a key, because a key may be
     * a pattern itself ({@code *} grants every type).
     *
     * @param permissions the claim: type patterns mapped to context patterns
     * @param type the permission type asked for, e.g. {@code view:design}
     * @param name the context asked for, e.g. {@code finance.q1.revenue}
     * @return true when the claim grants it
     * @throws NullPointerException if any argument, key or pattern is null
     */
    public static boolean allows(
            Map<String, ? extends Collection<String>> permissions, String type, String name) {
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        for (Map.Entry<String, ? extends Collection<String>> entry : permissions.entrySet()) {
            if (!matches(entry.getKey(), type)) {
                continue;
            }
            for (String contextPattern : entry.getValue()) {
                if (matches(contextPattern, name)) {
                    return true;
                }
            }
        }
        return false;
    }
}
