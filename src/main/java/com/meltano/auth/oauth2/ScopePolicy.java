package com.meltano.auth.oauth2;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one owner of the scope rules of SPEC section 4 (RFC 6749 section 3.3), for the
 * authorization request, {@code client_credentials} (section 4.4) and refresh (section 6):
 * unknown values are dropped, never an error; {@code invalid_scope} only for a known scope the
 * client may not have, or for a refresh that widens its grant; no {@code scope} parameter means the
 * defaults; a client acting for itself never gets a scope about a person. Each rule returns the
 * granted scopes in the order they were asked for, or throws {@link OAuthError#invalidScope}.
 */
public final class ScopePolicy {

    private ScopePolicy() {
    }

    /**
     * The {@code scope} parameter as values; null when absent.
     *
     * @throws OAuthError invalid_scope on characters RFC 6749 section 3.3 does not allow
     */
    public static Set<String> requested(String parameter) {
        try {
            return Scopes.parse(parameter);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidScope(e.getMessage());
        }
    }

    /** An authorization request (RFC 6749 section 4.1.1): by default every scope registered for the client. */
    public static Set<String> forAuthorization(Set<String> clientScopes, Set<String> requested) {
        if (requested == null) {
            return new LinkedHashSet<>(clientScopes);
        }
        return grant(clientScopes, requested, "scope not allowed for this client: ");
    }

    /**
     * {@code client_credentials} (RFC 6749 section 4.4.2): the client's registered scopes without
     * those about a person, and {@code admin} only for a client registered for the admin API.
     */
    public static Set<String> forClientCredentials(Set<String> clientScopes, boolean adminApi, Set<String> requested) {
        Set<String> allowed = new LinkedHashSet<>(clientScopes);
        allowed.removeAll(Scopes.USER_ONLY);
        if (!adminApi) {
            allowed.remove(Scopes.ADMIN);
        }
        if (requested == null) {
            return allowed;
        }
        return grant(allowed, requested, "scope not allowed for this client with client_credentials: ");
    }

    /** A refresh (RFC 6749 section 6): the grant's scopes by default; it may narrow them, never widen. */
    public static Set<String> forRefresh(Set<String> granted, Set<String> requested) {
        if (requested == null) {
            return granted;
        }
        Set<String> known = new LinkedHashSet<>(requested);
        known.retainAll(Scopes.KNOWN);
        if (!granted.containsAll(known)) {
            throw OAuthError.invalidScope("a refresh may narrow the scope, never widen it");
        }
        return known;
    }

    private static Set<String> grant(Set<String> allowed, Set<String> requested, String refusal) {
        Set<String> granted = new LinkedHashSet<>();
        for (String scope : requested) {
            if (!Scopes.KNOWN.contains(scope)) {
                continue; // SPEC section 4: unknown values are dropped, never an error
            }
            if (!allowed.contains(scope)) {
                throw OAuthError.invalidScope(refusal + scope);
            }
            granted.add(scope);
        }
        return granted;
    }
}
