package com.meltano.auth.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.common.Sql;
import com.meltano.auth.common.SqlStatement;

/**
 * The only writer of {@code app_user}. A {@link UserEntity} is a plain copy of a row: a change to one
 * is written by {@link #update}, in the caller's transaction.
 */
@ApplicationScoped
public class UserRepository {

    private static final String COLUMNS = "id, email, email_normalized, email_verified, password_hash, enabled,"
            + " password_changed_at, created_at, updated_at";

    @Inject
    Sql db;

    /** The account, or null when there is none. */
    public UserEntity findById(UUID id) {
        return db.query("select " + COLUMNS + " from app_user where id = ?1").bind(1, id).first(UserRepository::row).orElse(null);
    }

    public Optional<UserEntity> findByEmail(Email email) {
        return db.query("select " + COLUMNS + " from app_user where email_normalized = ?1").bind(1, email.normalized())
                .first(UserRepository::row);
    }

    public long count() {
        return ((Number) db.query("select count(*) from app_user").single()).longValue();
    }

    public void insert(UserEntity u) {
        db.query("insert into app_user (" + COLUMNS + ") values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)").bind(1, u.id)
                .bind(2, u.email).bind(3, u.emailNormalized).bind(4, u.emailVerified).bind(5, u.passwordHash)
                .bind(6, u.enabled).bind(7, u.passwordChangedAt).bind(8, u.createdAt).bind(9, u.updatedAt).update();
    }

    /** Writes every column of {@code u} but its id and creation time to its row. */
    public void update(UserEntity u) {
        db.query("update app_user set email = ?2, email_normalized = ?3, email_verified = ?4, password_hash = ?5,"
                + " enabled = ?6, password_changed_at = ?7, updated_at = ?8 where id = ?1").bind(1, u.id).bind(2, u.email)
                .bind(3, u.emailNormalized).bind(4, u.emailVerified).bind(5, u.passwordHash).bind(6, u.enabled)
                .bind(7, u.passwordChangedAt).bind(8, u.updatedAt).update();
    }

    /**
     * The same password's hash at newer parameters, written only while the row still holds
     * {@code expected}: a password changed since {@code expected} was read is never put back.
     */
    public void replacePasswordHash(UUID id, String expected, String replacement) {
        db.query("update app_user set password_hash = ?3 where id = ?1 and password_hash = ?2").bind(1, id)
                .bind(2, expected).bind(3, replacement).update();
    }

    public void delete(UserEntity u) {
        db.query("delete from app_user where id = ?1").bind(1, u.id).update();
    }

    /** Keyset page ordered by id: stable under concurrent inserts, unlike offsets. */
    public List<UserEntity> page(String emailFilter, UUID after, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from app_user where true");
        List<Object> params = new ArrayList<>();
        if (emailFilter != null && !emailFilter.isBlank()) {
            sql.append(" and email_normalized = ?").append(params.size() + 1);
            params.add(Email.normalizeTyped(emailFilter));
        }
        if (after != null) {
            sql.append(" and id > ?").append(params.size() + 1);
            params.add(after);
        }
        sql.append(" order by id limit ").append(limit);
        return rows(sql, params);
    }

    /**
     * Keyset page of the accounts whose normalized email starts with {@code prefix} (null or empty:
     * all), after the normalized email {@code afterEmail} (null: from the start), ordered by the
     * normalized email in code-point order. The prefix is a range of the C collation's order, with
     * bounds as parameters rather than a {@code like} pattern: a prepared statement's generic plan
     * keeps the index bounds (a {@code like $1} loses them) and no wildcard in the prefix needs escaping.
     */
    public List<UserEntity> searchByEmail(String prefix, String afterEmail, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from app_user where true");
        List<Object> params = new ArrayList<>();
        if (prefix != null && !prefix.isEmpty()) {
            sql.append(" and email_normalized collate \"C\" >= ?").append(params.size() + 1);
            params.add(prefix);
            String end = prefixEnd(prefix);
            if (end != null) {
                sql.append(" and email_normalized collate \"C\" < ?").append(params.size() + 1);
                params.add(end);
            }
        }
        if (afterEmail != null) {
            sql.append(" and email_normalized collate \"C\" > ?").append(params.size() + 1);
            params.add(afterEmail);
        }
        sql.append(" order by email_normalized collate \"C\" limit ").append(limit);
        return rows(sql, params);
    }

    /**
     * The accounts a statement built with only the conditions in use selects, {@code params} bound
     * as {@code ?1}, {@code ?2}: a generic plan of "null or matches" could not use the indexes.
     */
    private List<UserEntity> rows(CharSequence sql, List<Object> params) {
        SqlStatement q = db.query(sql.toString());
        for (int i = 0; i < params.size(); i++) {
            q.bind(i + 1, params.get(i));
        }
        return q.list(UserRepository::row);
    }

    private static UserEntity row(ResultSet rs) throws SQLException {
        UserEntity u = new UserEntity();
        u.id = rs.getObject("id", UUID.class);
        u.email = rs.getString("email");
        u.emailNormalized = rs.getString("email_normalized");
        u.emailVerified = rs.getBoolean("email_verified");
        u.passwordHash = rs.getString("password_hash");
        u.enabled = rs.getBoolean("enabled");
        u.passwordChangedAt = SqlStatement.instant(rs, "password_changed_at");
        u.createdAt = SqlStatement.instant(rs, "created_at");
        u.updatedAt = SqlStatement.instant(rs, "updated_at");
        return u;
    }

    /**
     * The least string after every string that starts with {@code prefix}, in code-point order (the
     * C collation's order of UTF-8): the prefix with its last code point that can grow increased by
     * one and what follows dropped; null when no code point can grow (no upper bound).
     */
    static String prefixEnd(String prefix) {
        int[] cps = prefix.codePoints().toArray();
        for (int i = cps.length - 1; i >= 0; i--) {
            if (cps[i] < Character.MAX_CODE_POINT) {
                int next = cps[i] + 1;
                if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
                    next = Character.MAX_SURROGATE + 1; // surrogates are not characters; text holds none
                }
                return new String(cps, 0, i) + new String(Character.toChars(next));
            }
        }
        return null;
    }
}
