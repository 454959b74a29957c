package com.meltano.auth.gitlab;

import java.util.List;

/**
 * Who GitLab says signed in, from its verified ID token: keyed by ({@code issuer}, {@code subject});
 * email and username are informative only (they change at GitLab). {@code groupsDirect} lists the
 * full paths of direct group memberships ({@code groups_direct}), not inherited ones.
 */
public record GitLabIdentity(String issuer, String subject, String email, boolean emailVerified, String username,
        List<String> groupsDirect) {

    public GitLabIdentity {
        groupsDirect = groupsDirect == null ? List.of() : List.copyOf(groupsDirect);
    }

    @Override
    public String toString() {
        return "GitLabIdentity[" + issuer + " " + subject + "]";
    }
}
