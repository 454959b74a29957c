package com.meltano.auth.rbac;

import java.util.Collection;
import java.util.List;
import java.util.SortedMap;

import com.meltano.auth.verifier.ContextMatcher;

/** The {@code roles} and {@code permissions} claims of a subject, computed as SPEC section 7 says. */
public record Authorities(List<String> roles, SortedMap<String, List<String>> permissions) {

    public static Authorities of(Collection<String> roleNames, Collection<Permission> permissions) {
        return new Authorities(PermissionsClaim.roles(roleNames), PermissionsClaim.permissions(permissions));
    }

    /** SPEC section 9 (c): the {@code admin} role, or {@code modify:acl} on context exactly {@code *}. */
    public boolean holdsAdminRight() {
        if (roles.contains(RoleName.ADMIN)) {
            return true;
        }
        return permissions.entrySet().stream()
                .anyMatch(e -> ContextMatcher.matches(e.getKey(), "modify:acl") && e.getValue().contains("*"));
    }
}
