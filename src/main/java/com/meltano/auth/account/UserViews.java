package com.meltano.auth.account;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.ServiceException;
import com.meltano.auth.rbac.PermissionsClaim;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.Subject;

/**
 * Accounts as the admin API (SPEC section 9) and the account page show them: roles with their
 * sources and linked identities, never the password hash.
 */
@ApplicationScoped
public class UserViews {

    @Inject
    UserRepository users;

    @Inject
    RbacRepository assignments;

    @Inject
    LinkedIdentities identities;

    @Transactional
    public UserView get(UUID id) {
        return view(find(id));
    }

    @Transactional
    public List<UserView> list(String email, UUID after, int limit) {
        return users.page(email, after, limit).stream().map(this::view).toList();
    }

    /** The account with this email (any case), if there is one; an input that is no email finds none. */
    @Transactional
    public java.util.Optional<UserView> findByEmail(String email) {
        Email parsed;
        try {
            parsed = Email.parse(email);
        } catch (IllegalArgumentException notAnEmail) {
            return java.util.Optional.empty();
        }
        return users.findByEmail(parsed).map(this::view);
    }

    /** How many accounts there are (the console's overview). */
    @Transactional
    public long count() {
        return users.count();
    }

    /** The account, or the admin API's 404 for an unknown id. */
    UserEntity find(UUID id) {
        UserEntity u = id == null ? null : users.findById(id);
        if (u == null) {
            throw ServiceException.notFound("no user with this id");
        }
        return u;
    }

    UserView view(UserEntity u) {
        List<RbacRepository.Assignment> roleAssignments = assignments.assignments(Subject.USER, u.id);
        List<String> roles = PermissionsClaim.roles(roleAssignments.stream().map(RbacRepository.Assignment::role).toList());
        return new UserView(u.id, u.email, u.emailVerified, u.enabled, roles, roleAssignments, identities.of(u.id),
                u.passwordHash != null, u.createdAt, u.updatedAt);
    }
}
