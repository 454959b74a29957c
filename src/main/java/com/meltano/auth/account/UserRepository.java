package com.meltano.auth.account;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
            params.put("email", emailFilter.trim().toLowerCase(Locale.ROOT));
        }
        if (after != null) {
            q.append(" and id > :after");
            params.put("after", after);
        }
        q.append(" order by id");
        return find(q.toString(), params).page(0, limit).list();
    }
}
