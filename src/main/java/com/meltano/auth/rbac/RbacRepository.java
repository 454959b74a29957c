package com.meltano.auth.rbac;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.common.Sql;
import com.meltano.auth.common.SqlFailure;
import com.meltano.auth.common.SqlStatement;

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
    Sql db;

    public Authorities authorities(Subject subject, Object id) {
        List<Object[]> rows = db.query("select a.role_name, p.type, p.context from " + subject.table
                + " a left join role_permission p on p.role_name = a.role_name where a." + subject.column + " = ?1")
                .bind(1, id)
                .list();
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
        List<Object[]> rows = db.query("select role_name, source from " + subject.table + " where "
                + subject.column + " = ?1 order by role_name, source").bind(1, id).list();
        return rows.stream().map(r -> new Assignment((String) r[0], (String) r[1])).toList();
    }

    /** The assignments of each of {@code userIds} in one round trip (a page of users), by role name and source. */
    public Map<UUID, List<Assignment>> userAssignments(Collection<UUID> userIds) {
        Map<UUID, List<Assignment>> byUser = new HashMap<>();
        if (userIds.isEmpty()) {
            return byUser;
        }
        List<Object[]> rows = db.query("select user_id, role_name, source from user_role"
                + " where user_id = any(cast(?1 as uuid[])) order by role_name, source")
                .bind(1, arrayLiteral(userIds.stream().map(UUID::toString).toList())).list();
        for (Object[] r : rows) {
            byUser.computeIfAbsent((UUID) r[0], k -> new ArrayList<>()).add(new Assignment((String) r[1], (String) r[2]));
        }
        return byUser;
    }

    /** Replaces the manual assignments only; mapped ones (e.g. from GitLab groups) stay (SPEC section 5a). */
    public void replaceManual(Subject subject, Object id, Collection<String> roles) {
        db.query("delete from " + subject.table + " where " + subject.column + " = ?1 and source = ?2")
                .bind(1, id).bind(2, MANUAL).update();
        for (String role : roles) {
            assign(subject, id, role, MANUAL);
        }
    }

    public void assign(Subject subject, Object id, String role, String source) {
        db.query("insert into " + subject.table + " (" + subject.column
                + ", role_name, source) values (?1, ?2, ?3) on conflict do nothing")
                .bind(1, id).bind(2, role).bind(3, source).update();
    }

    /** Removes one assignment of one source, e.g. a GitLab group's role after the user left the group. */
    public void unassign(Subject subject, Object id, String role, String source) {
        db.query("delete from " + subject.table + " where " + subject.column + " = ?1 and role_name = ?2"
                + " and source = ?3").bind(1, id).bind(2, role).bind(3, source).update();
    }

    /** Enabled users holding {@code admin} by any source, other than {@code except}. */
    public long otherEnabledAdmins(UUID except) {
        Number n = (Number) db.query("select count(distinct u.id) from app_user u join user_role r on r.user_id = u.id"
                + " where r.role_name = 'admin' and u.enabled and u.id <> ?1")
                .bind(1, except).single();
        return n.longValue();
    }

    /** Serializes changes that could remove the last admin (two admins demoting each other at once). */
    public void lockAdminMembership() {
        db.query("select pg_advisory_xact_lock(727001)").single();
    }

    public List<Permission> permissionsOf(String role) {
        List<Object[]> rows = db.query("select type, context from role_permission where role_name = ?1")
                .bind(1, role).list();
        List<Permission> list = new ArrayList<>(rows.stream().map(r -> new Permission((String) r[0], (String) r[1])).toList());
        list.sort((a, b) -> {
            int c = PermissionsClaim.CODE_POINT_ORDER.compare(a.type(), b.type());
            return c != 0 ? c : PermissionsClaim.CODE_POINT_ORDER.compare(a.context(), b.context());
        });
        return list;
    }

    /** @return whether a row was inserted (false: the permission was already there) */
    public boolean addPermission(String role, Permission p) {
        return db.query("insert into role_permission (role_name, type, context) values (?1, ?2, ?3) on conflict do nothing")
                .bind(1, role).bind(2, p.type()).bind(3, p.context()).update() == 1;
    }

    public boolean removePermission(String role, Permission p) {
        return db.query("delete from role_permission where role_name = ?1 and type = ?2 and context = ?3")
                .bind(1, role).bind(2, p.type()).bind(3, p.context()).update() == 1;
    }

    /** The role, or null when there is none. */
    public RoleEntity findRole(String name) {
        return db.query("select name, description, created_at from role where name = ?1").bind(1, name)
                .first(RbacRepository::role).orElse(null);
    }

    /** Every role, by name. */
    public List<RoleEntity> roles() {
        return db.query("select name, description, created_at from role order by name").list(RbacRepository::role);
    }

    /** The name of every role, in order. */
    public List<String> roleNames() {
        return db.query("select name from role order by name").list();
    }

    /** Adds a role; a role of that name added meanwhile is an {@link SqlFailure} with a unique violation. */
    public void insertRole(RoleEntity role) {
        db.query("insert into role (name, description, created_at) values (?1, ?2, ?3)").bind(1, role.name)
                .bind(2, role.description).bind(3, role.createdAt).update();
    }

    /** Deletes a role; its permissions and assignments go with it ({@code on delete cascade}). */
    public void deleteRole(String name) {
        db.query("delete from role where name = ?1").bind(1, name).update();
    }

    private static RoleEntity role(ResultSet rs) throws SQLException {
        RoleEntity r = new RoleEntity();
        r.name = rs.getString("name");
        r.description = rs.getString("description");
        r.createdAt = SqlStatement.instant(rs, "created_at");
        return r;
    }

    public List<String> missingRoles(Collection<String> names) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            if (findRole(name) == null) {
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
        List<Object[]> rows = db.query("select role_name, type, context from role_permission"
                + " order by role_name collate \"C\", type collate \"C\", context collate \"C\"").list();
        return rows.stream().map(r -> new RolePermission((String) r[0], (String) r[1], (String) r[2])).toList();
    }

    /** The users holding any of {@code roles}: one entry per (user, role), by email. */
    public List<WhoCan.UserHolder> userHolders(Collection<String> roles) {
        return userHolders(roles, Integer.MAX_VALUE);
    }

    /** The first {@code limit} entries of {@link #userHolders(Collection)}. */
    public List<WhoCan.UserHolder> userHolders(Collection<String> roles, int limit) {
        List<Object[]> rows = db.query("select u.id, u.email, u.enabled, r.role_name, r.source from user_role r"
                + " join app_user u on u.id = r.user_id where r.role_name = any(cast(?1 as text[]))"
                + " order by u.email_normalized, r.role_name collate \"C\", r.source")
                .bind(1, arrayLiteral(roles)).maxRows(limit).list();
        return rows.stream().map(r -> new WhoCan.UserHolder((UUID) r[0], (String) r[1], (Boolean) r[2], (String) r[3],
                (String) r[4])).toList();
    }

    /** The clients holding any of {@code roles}: one entry per (client, role). */
    public List<WhoCan.ClientHolder> clientHolders(Collection<String> roles) {
        List<Object[]> rows = db.query("select client_id, role_name, source from client_role"
                + " where role_name = any(cast(?1 as text[])) order by client_id collate \"C\", role_name collate \"C\", source")
                .bind(1, arrayLiteral(roles)).list();
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
