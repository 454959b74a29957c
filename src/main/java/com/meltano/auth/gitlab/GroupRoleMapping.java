package com.meltano.auth.gitlab;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.RoleName;
import com.meltano.auth.rbac.Subject;

/**
 * {@code MELTANO_AUTH_GITLAB_GROUP_ROLES} applied at each GitLab login (SPEC section 5a): each
 * mapped role is assigned with source {@code gitlab:<group>}, and an assignment whose group the
 * user left is removed; manual assignments are never touched.
 */
@ApplicationScoped
public class GroupRoleMapping {

    private static final Logger LOG = Logger.getLogger(GroupRoleMapping.class);
    static final String SOURCE_PREFIX = "gitlab:";

    @Inject
    GitLabSettings settings;

    @Inject
    RbacRepository rbac;

    /**
     * Whether removing {@code a} would leave no enabled admin at all (SPEC section 9 keeps one):
     * then the assignment stays, with a warning, until another admin exists.
     */
    private boolean lastAdmin(UUID userId, RbacRepository.Assignment a, List<RbacRepository.Assignment> all,
            Set<RbacRepository.Assignment> wanted) {
        if (!RoleName.ADMIN.equals(a.role())) {
            return false;
        }
        boolean adminOtherwise = all.stream().anyMatch(o -> RoleName.ADMIN.equals(o.role()) && !o.equals(a)
                && (!o.source().startsWith(SOURCE_PREFIX) || wanted.contains(o)));
        if (adminOtherwise) {
            return false;
        }
        rbac.lockAdminMembership();
        if (rbac.otherEnabledAdmins(userId) > 0) {
            return false;
        }
        LOG.warnf("GitLab group mapping would remove the last admin (user %s); the assignment stays", userId);
        return true;
    }

    /** Runs in the caller's transaction. */
    public void apply(UUID userId, List<String> groupsDirect) {
        Set<RbacRepository.Assignment> wanted = new HashSet<>();
        for (String group : groupsDirect) {
            for (String role : settings.groupRoles().getOrDefault(group, List.of())) {
                wanted.add(new RbacRepository.Assignment(role, SOURCE_PREFIX + group));
            }
        }
        List<RbacRepository.Assignment> all = rbac.assignments(Subject.USER, userId);
        Set<RbacRepository.Assignment> held = new HashSet<>();
        for (RbacRepository.Assignment a : all) {
            if (a.source().startsWith(SOURCE_PREFIX)) {
                held.add(a);
            }
        }
        for (RbacRepository.Assignment a : held) {
            if (!wanted.contains(a) && !lastAdmin(userId, a, all, wanted)) {
                rbac.unassign(Subject.USER, userId, a.role(), a.source());
            }
        }
        for (RbacRepository.Assignment a : wanted) {
            if (held.contains(a)) {
                continue;
            }
            if (!rbac.missingRoles(List.of(a.role())).isEmpty()) {
                LOG.warnf("MELTANO_AUTH_GITLAB_GROUP_ROLES maps a group to role %s, which does not exist; skipped", a.role());
                continue;
            }
            rbac.assign(Subject.USER, userId, a.role(), a.source());
        }
    }
}
