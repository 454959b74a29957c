package com.meltano.auth.verifier;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The claims of an access token that passed every check (SPEC section 7), with the permission
 * test of SPEC section 8. Immutable; safe to share between threads.
 */
public final class VerifiedToken {

    private final Map<String, Object> claims;
    private final Instant expiresAt;
    private final List<String> roles;
    private final Map<String, List<String>> permissions;
    private final Set<String> scopes;

    VerifiedToken(Map<String, Object> claims, Instant expiresAt) {
        this.claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
        this.expiresAt = expiresAt;
        this.roles = strings(claims.get("roles"));
        Map<String, List<String>> p = new LinkedHashMap<>();
        if (claims.get("permissions") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> p.put(String.valueOf(k), strings(v)));
        }
        this.permissions = Collections.unmodifiableMap(p);
        Object scope = claims.get("scope");
        this.scopes = scope instanceof String s && !s.isBlank()
                ? Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(s.trim().split(" +")))) : Set.of();
    }

    /** {@code sub}: a user id, or for {@code client_credentials} the client id. */
    public String subject() {
        return (String) claims.get("sub");
    }

    public String clientId() {
        return claims.get("client_id") instanceof String s ? s : null;
    }

    public Set<String> scopes() {
        return scopes;
    }

    public List<String> roles() {
        return roles;
    }

    /** The {@code permissions} claim: type patterns to context patterns. Test with {@link #allows}, never by key lookup. */
    public Map<String, List<String>> permissions() {
        return permissions;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** Every claim, as parsed from the token. */
    public Map<String, Object> claims() {
        return claims;
    }

    /**
     * SPEC section 8: true when some permission key matches {@code type} and some context pattern
     * listed under it matches {@code resourceName}; a {@code *} key grants every type.
     */
    public boolean allows(String type, String resourceName) {
        return ContextMatcher.allows(permissions, type, resourceName);
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    @Override
    public String toString() {
        return "VerifiedToken[sub=" + subject() + ", client_id=" + clientId() + ", exp=" + expiresAt + "]";
    }
}
