package com.meltano.auth.rbac;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the {@code roles} and {@code permissions} access-token claims of SPEC section 7 from
 * the roles a subject holds and the permissions granted through them.
 *
 * <p>Everything is sorted by Unicode code point (the order of the UTF-8 bytes), in Java, so the
 * claims are the same whatever collation the database uses. {@link String#compareTo} is not used
 * because it compares UTF-16 code units, which puts supplementary characters (encoded as
 * surrogates, U+D800..U+DFFF) before U+E000..U+FFFF.
 */
public final class PermissionsClaim {

    /** The wildcard context that subsumes every other context of the same type. */
    private static final String ANY = "*";

    /** Orders strings by Unicode code point, i.e. by their UTF-8 bytes. */
    public static final Comparator<String> CODE_POINT_ORDER = PermissionsClaim::compareCodePoints;

    private PermissionsClaim() {
    }

    /**
     * The {@code roles} claim: the distinct role names, sorted by {@link #CODE_POINT_ORDER}.
     *
     * @param roleNames the names of the subject's roles, duplicates allowed
     * @return an unmodifiable sorted list without duplicates
     * @throws NullPointerException if the collection or a name is null
     */
    public static List<String> roles(Collection<String> roleNames) {
        TreeSet<String> distinct = new TreeSet<>(CODE_POINT_ORDER);
        for (String name : roleNames) {
            distinct.add(Objects.requireNonNull(name, "role name"));
        }
        return List.copyOf(distinct);
    }

    /**
     * The {@code permissions} claim: every distinct type pattern mapped to its distinct context
     * patterns, or to exactly {@code ["*"]} when {@code *} is among them. Nothing else is dropped
     * or merged: a {@code *} type stays its own key, and overlapping patterns such as
     * {@code finance.*} and {@code finance.q1} are both kept.
     *
     * @param permissions the permissions granted through all of the subject's roles, duplicates
     *     allowed
     * @return an unmodifiable map ordered by {@link #CODE_POINT_ORDER}, with unmodifiable values
     *     sorted the same way
     * @throws NullPointerException if the collection or an element is null
     */
    public static SortedMap<String, List<String>> permissions(Collection<Permission> permissions) {
        TreeMap<String, TreeSet<String>> byType = new TreeMap<>(CODE_POINT_ORDER);
        for (Permission permission : permissions) {
            byType.computeIfAbsent(permission.type(), type -> new TreeSet<>(CODE_POINT_ORDER))
                    .add(permission.context());
        }
        TreeMap<String, List<String>> claim = new TreeMap<>(CODE_POINT_ORDER);
        for (Map.Entry<String, TreeSet<String>> entry : byType.entrySet()) {
            TreeSet<String> contexts = entry.getValue();
            claim.put(entry.getKey(),
                    contexts.contains(ANY) ? List.of(ANY) : List.copyOf(contexts));
        }
        return Collections.unmodifiableSortedMap(claim);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
