package com.meltano.auth.account;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.meltano.auth.rbac.RbacRepository;

/** A user as the admin API shows it: never the password hash. */
public record UserView(
        UUID id,
        String email,
        boolean emailVerified,
        boolean enabled,
        List<String> roles,
        List<RbacRepository.Assignment> roleAssignments,
        List<LinkedIdentity> linkedIdentities,
        boolean hasPassword,
        Instant createdAt,
        Instant updatedAt) {
}
