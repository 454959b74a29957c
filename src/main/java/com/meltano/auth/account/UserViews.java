package com.meltano.auth.account;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    /**
     * One line of a list of users (the console's users page): {@code cursor} is the normalized
     * email, the key of {@link #search}'s order.
     */
    public record Summary(UUID id, String email, boolean enabled, List<String> roles, Instant createdAt, String cursor) {
    }

    /**
     * At most {@code limit} users whose email starts with {@code emailPrefix} (compared as emails
     * are: case-insensitively; null or blank: every user), after the one whose cursor is
     * {@code afterCursor} (null: from the first), ordered by email. A keyset page served by one
     * index however many users there are; their roles come in one more query.
     */
    @Transactional
    public List<Summary> search(String emailPrefix, String afterCursor, int limit) {
        List<UserEntity> page = users.searchByEmail(Email.normalizeTyped(emailPrefix), afterCursor, limit);
        Map<UUID, List<RbacRepository.Assignment>> roles = assignments.userAssignments(page.stream().map(u -> u.id).toList());
        return page.stream().map(u -> new Summary(u.id, u.email, u.enabled,
                PermissionsClaim.roles(roles.getOrDefault(u.id, List.of()).stream().map(RbacRepository.Assignment::role).toList()),
                u.createdAt, u.emailNormalized)).toList();
    }

    /** The admin API's variant of {@link #search}: whole users, for {@code GET /admin/api/users?email_prefix=}. */
    @Transactional
    public List<UserView> searchViews(String emailPrefix, String afterCursor, int limit) {
        return users.searchByEmail(Email.normalizeTyped(emailPrefix), afterCursor, limit).stream().map(this::view).toList();
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

    /** The account with this id, if there is one. */
    @Transactional
    public java.util.Optional<UserView> findById(UUID id) {
        return java.util.Optional.ofNullable(users.findById(id)).map(this::view);
    }
}
