package com.meltano.auth.account;

import java.time.Instant;
import java.util.UUID;

/**
 * A local account: a copy of its {@code app_user} row, read and written by {@link UserRepository}.
 * {@code id} is the opaque, stable {@code sub}; the email never is.
 */
public class UserEntity {

    public UUID id;

    public String email;

    public String emailNormalized;

    public boolean emailVerified;

    /** Argon2id PHC string; null for an account that signs in only through GitLab. */
    public String passwordHash;

    public boolean enabled = true;

    public Instant passwordChangedAt;

    public Instant createdAt;

    public Instant updatedAt;

    @Override
    public String toString() {
        return "User[" + id + "]"; // never the email or the hash
    }
}
