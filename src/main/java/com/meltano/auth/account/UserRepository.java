package com.meltano.auth.account;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<UserEntity, UUID> {

    public Optional<UserEntity> findByEmail(Email email) {
        return find("emailNormalized", email.normalized()).firstResultOptional();
    }

    /** Keyset page ordered by id: stable under concurrent inserts, unlike offsets. */
    public List<UserEntity> page(String emailFilter, UUID after, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (emailFilter != null && !emailFilter.isBlank()) {
            q.append(" and emailNormalized = :email");
            params.put("email", Email.normalizeTyped(emailFilter));
        }
        if (after != null) {
            q.append(" and id > :after");
            params.put("after", after);
        }
        q.append(" order by id");
        return find(q.toString(), params).page(0, limit).list();
    }

    /**
     * Keyset page of the accounts whose normalized email starts with {@code prefix} (null or empty:
     * all), after the normalized email {@code afterEmail} (null: from the start), ordered by the
     * normalized email in code-point order. The prefix is a range of the C collation's order, with
     * bounds as parameters rather than a {@code like} pattern: a prepared statement's generic plan
     * keeps the index bounds (a {@code like $1} loses them) and no wildcard in the prefix needs escaping.
     */
    public List<UserEntity> searchByEmail(String prefix, String afterEmail, int limit) {
        StringBuilder sql = new StringBuilder("select * from app_user where true");
        List<String> params = new ArrayList<>();
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
        jakarta.persistence.Query q = getEntityManager().createNativeQuery(sql.toString(), UserEntity.class);
        for (int i = 0; i < params.size(); i++) {
            q.setParameter(i + 1, params.get(i));
        }
        @SuppressWarnings("unchecked")
        List<UserEntity> rows = q.getResultList();
        return rows;
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
