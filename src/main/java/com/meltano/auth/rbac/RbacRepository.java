package com.meltano.auth.rbac;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Role assignments and permissions, in SQL: these are join tables, and the token path wants one
 * round trip for all of a subject's roles and permissions.
 */
@ApplicationScoped
public class RbacRepository {

    /** A role held by a subject and where the assignment came from ({@code manual}, {@code gitlab:<group>}). */
    public record Assignment(String role, String source) {
    }

    public static final String MANUAL = "manual";

    @Inject
    EntityManager em;

    public Authorities authorities(Subject subject, Object id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select a.role_name, p.type, p.context from " + subject.table
                + " a left join role_permission p on p.role_name = a.role_name where a." + subject.column + " = ?1")
                .setParameter(1, id)
                .getResultList();
        List<String> roles = new ArrayList<>();
        List<Permission> permissions = new ArrayList<>();
        for (Object[] row : rows) {
            roles.add((String) row[0]);
            if (row[1] != null) {
                permissions.add(new Permission((String) row[1], (String) row[2]));
            }
        }
        return Authorities.of(roles, permissions);
    }

    public List<Assignment> assignments(Subject subject, Object id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select role_name, source from " + subject.table + " where "
                + subject.column + " = ?1 order by role_name, source").setParameter(1, id).getResultList();
        return rows.stream().map(r -> new Assignment((String) r[0], (String) r[1])).toList();
    }

    /** The assignments of each of {@code userIds} in one round trip (a page of users), by role name and source. */
    public Map<UUID, List<Assignment>> userAssignments(Collection<UUID> userIds) {
        Map<UUID, List<Assignment>> byUser = new HashMap<>();
        if (userIds.isEmpty()) {
            return byUser;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select user_id, role_name, source from user_role"
                + " where user_id = any(cast(?1 as uuid[])) order by role_name, source")
                .setParameter(1, arrayLiteral(userIds.stream().map(UUID::toString).toList())).getResultList();
        for (Object[] r : rows) {
            byUser.computeIfAbsent((UUID) r[0], k -> new ArrayList<>()).add(new Assignment((String) r[1], (String) r[2]));
        }
        return byUser;
    }

    /** Replaces the manual assignments only; mapped ones (e.g. from GitLab groups) stay (SPEC section 5a). */
    public void replaceManual(Subject subject, Object id, Collection<String> roles) {
        em.createNativeQuery("delete from " + subject.table + " where " + subject.column + " = ?1 and source = ?2")
                .setParameter(1, id).setParameter(2, MANUAL).executeUpdate();
        for (String role : roles) {
            assign(subject, id, role, MANUAL);
        }
    }

    public void assign(Subject subject, Object id, String role, String source) {
        em.createNativeQuery("insert into " + subject.table + " (" + subject.column
                + ", role_name, source) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, id).setParameter(2, role).setParameter(3, source).executeUpdate();
    }

    /** Removes one assignment of one source, e.g. a GitLab group's role after the user left the group. */
    public void unassign(Subject subject, Object id, String role, String source) {
        em.createNativeQuery("delete from " + subject.table + " where " + subject.column + " = ?1 and role_name = ?2"
                + " and source = ?3").setParameter(1, id).setParameter(2, role).setParameter(3, source).executeUpdate();
    }

    /** Enabled users holding {@code admin} by any source, other than {@code except}. */
    public long otherEnabledAdmins(UUID except) {
        Number n = (Number) em.createNativeQuery("select count(distinct u.id) from app_user u join user_role r on r.user_id = u.id"
                + " where r.role_name = 'admin' and u.enabled and u.id <> ?1")
                .setParameter(1, except).getSingleResult();
        return n.longValue();
    }

    /** Serializes changes that could remove the last admin (two admins demoting each other at once). */
    public void lockAdminMembership() {
        em.createNativeQuery("select pg_advisory_xact_lock(727001)").getSingleResult();
    }

    public List<Permission> permissionsOf(String role) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select type, context from role_permission where role_name = ?1")
                .setParameter(1, role).getResultList();
        List<Permission> list = new ArrayList<>(rows.stream().map(r -> new Permission((String) r[0], (String) r[1])).toList());
        list.sort((a, b) -> {
            int c = PermissionsClaim.CODE_POINT_ORDER.compare(a.type(), b.type());
            return c != 0 ? c : PermissionsClaim.CODE_POINT_ORDER.compare(a.context(), b.context());
        });
        return list;
    }

    /** @return whether a row was inserted (false: the permission was already there) */
    public boolean addPermission(String role, Permission p) {
        return em.createNativeQuery("insert into role_permission (role_name, type, context) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, role).setParameter(2, p.type()).setParameter(3, p.context()).executeUpdate() == 1;
    }

    public boolean removePermission(String role, Permission p) {
        return em.createNativeQuery("delete from role_permission where role_name = ?1 and type = ?2 and context = ?3")
                .setParameter(1, role).setParameter(2, p.type()).setParameter(3, p.context()).executeUpdate() == 1;
    }

    public List<String> missingRoles(Collection<String> names) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            if (em.find(RoleEntity.class, name) == null) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** One permission of one role. */
    public record RolePermission(String role, String type, String context) {
    }

    /** Every permission of every role, by role, type and context in code-point order (C collation). */
    public List<RolePermission> allPermissions() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select role_name, type, context from role_permission"
                + " order by role_name collate \"C\", type collate \"C\", context collate \"C\"").getResultList();
        return rows.stream().map(r -> new RolePermission((String) r[0], (String) r[1], (String) r[2])).toList();
    }

    /** The users holding any of {@code roles}: one entry per (user, role), by email. */
    public List<WhoCan.UserHolder> userHolders(Collection<String> roles) {
        return userHolders(roles, Integer.MAX_VALUE);
    }

    /** The first {@code limit} entries of {@link #userHolders(Collection)}. */
    public List<WhoCan.UserHolder> userHolders(Collection<String> roles, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select u.id, u.email, u.enabled, r.role_name, r.source from user_role r"
                + " join app_user u on u.id = r.user_id where r.role_name = any(cast(?1 as text[]))"
                + " order by u.email_normalized, r.role_name collate \"C\", r.source")
                .setParameter(1, arrayLiteral(roles)).setMaxResults(limit).getResultList();
        return rows.stream().map(r -> new WhoCan.UserHolder((UUID) r[0], (String) r[1], (Boolean) r[2], (String) r[3],
                (String) r[4])).toList();
    }

    /** The clients holding any of {@code roles}: one entry per (client, role). */
    public List<WhoCan.ClientHolder> clientHolders(Collection<String> roles) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select client_id, role_name, source from client_role"
                + " where role_name = any(cast(?1 as text[])) order by client_id collate \"C\", role_name collate \"C\", source")
                .setParameter(1, arrayLiteral(roles)).getResultList();
        return rows.stream().map(r -> new WhoCan.ClientHolder((String) r[0], (String) r[1], (String) r[2])).toList();
    }

    /** A PostgreSQL text[] literal, every element quoted (role names never need it, but a literal must not trust that). */
    private static String arrayLiteral(Collection<String> values) {
        StringBuilder b = new StringBuilder("{");
        for (String v : values) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append('}').toString();
    }
}
