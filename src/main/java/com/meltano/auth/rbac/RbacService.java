package com.meltano.auth.rbac;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.common.SqlFailure;

/** Roles and their permissions (SPEC section 9); assignments to subjects go through {@link RbacRepository}. */
@ApplicationScoped
public class RbacService {

    public record RoleView(String name, String description, Instant createdAt, List<Permission> permissions) {
    }

    /** Who holds a role: the first users by email ({@code moreUsers} when there are others) and every client. */
    public record Members(List<WhoCan.UserHolder> users, boolean moreUsers, List<WhoCan.ClientHolder> clients) {
    }

    @Inject
    RbacRepository repository;

    @Inject
    Event<AuditEvent> audit;

    @Inject
    Event<RbacChanged> changed;

    @Transactional
    public RoleView createRole(String actor, String name, String description) {
        if (!RoleName.isValid(name)) {
            throw ServiceException.invalid("name", "must match [A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
        }
        if (description != null && description.length() > 1000) {
            throw ServiceException.invalid("description", "must be at most 1000 characters");
        }
        if (repository.findRole(name) != null) {
            throw ServiceException.conflict("name", "is taken by another role");
        }
        RoleEntity role = new RoleEntity();
        role.name = name;
        role.description = description;
        role.createdAt = Instant.now();
        try {
            repository.insertRole(role);
        } catch (SqlFailure e) {
            if (e.isUniqueViolation()) {
                throw ServiceException.conflict("name", "is taken by another role");
            }
            throw e;
        }
        audit.fire(AuditEvent.of(actor, "role.created", name));
        return view(role);
    }

    @Transactional
    public List<RoleView> listRoles() {
        return repository.roles().stream().map(this::view).toList();
    }

    /** The names of every role, by name: what a form offers to choose from, without their permissions. */
    @Transactional
    public List<String> roleNames() {
        return repository.roleNames();
    }

    @Transactional
    public RoleView getRole(String name) {
        return view(find(name));
    }

    /** The members of role {@code name}, at most {@code userLimit} users (a role may have 100,000). */
    @Transactional
    public Members members(String name, int userLimit) {
        find(name);
        List<WhoCan.UserHolder> users = repository.userHolders(List.of(name), userLimit + 1);
        boolean more = users.size() > userLimit;
        return new Members(more ? users.subList(0, userLimit) : users, more, repository.clientHolders(List.of(name)));
    }

    @Transactional
    public void deleteRole(String actor, String name) {
        RoleEntity role = find(name);
        if (RoleName.ADMIN.equals(name) || RoleName.REGULAR.equals(name)) {
            // admin: SPEC section 9; regular: every new local user gets it
            throw ServiceException.forbidden("the built-in role " + name + " cannot be deleted");
        }
        repository.deleteRole(role.name);
        changed.fire(new RbacChanged());
        audit.fire(AuditEvent.of(actor, "role.deleted", name));
    }

    @Transactional
    public Permission addPermission(String actor, String roleName, String type, String context) {
        find(roleName);
        Permission p = validPermission(type, context);
        if (!repository.addPermission(roleName, p)) {
            throw ServiceException.conflict("context", "the role already has this permission");
        }
        changed.fire(new RbacChanged());
        audit.fire(AuditEvent.of(actor, "role.permission_added", roleName, Map.of("type", type, "context", context)));
        return p;
    }

    @Transactional
    public void removePermission(String actor, String roleName, String type, String context) {
        find(roleName);
        Permission p = validPermission(type, context);
        if (!repository.removePermission(roleName, p)) {
            throw ServiceException.notFound("the role has no such permission");
        }
        changed.fire(new RbacChanged());
        audit.fire(AuditEvent.of(actor, "role.permission_removed", roleName, Map.of("type", type, "context", context)));
    }

    /**
     * Checks role names given in a request: each valid and existing.
     *
     * @param field the request field, e.g. {@code roles}
     */
    public Set<String> existingRoles(String field, Collection<String> names) {
        Set<String> distinct = new LinkedHashSet<>();
        int i = 0;
        for (String name : names) {
            if (!RoleName.isValid(name)) {
                throw ServiceException.invalid(field + "[" + i + "]", "is not a valid role name");
            }
            distinct.add(name);
            i++;
        }
        List<String> missing = repository.missingRoles(distinct);
        if (!missing.isEmpty()) {
            int index = List.copyOf(names).indexOf(missing.get(0));
            throw ServiceException.invalid(field + "[" + index + "]", "unknown role");
        }
        return distinct;
    }

    private static Permission validPermission(String type, String context) {
        if (!RoleName.isValidPattern(type)) {
            throw ServiceException.invalid("type", "is required: 1 to 256 characters, no control characters");
        }
        if (!RoleName.isValidPattern(context)) {
            throw ServiceException.invalid("context", "is required: 1 to 256 characters, no control characters");
        }
        return new Permission(type, context);
    }

    private RoleEntity find(String name) {
        RoleEntity role = name == null ? null : repository.findRole(name);
        if (role == null) {
            throw ServiceException.notFound("no role named so");
        }
        return role;
    }

    private RoleView view(RoleEntity role) {
        return new RoleView(role.name, role.description, role.createdAt, repository.permissionsOf(role.name));
    }
}
