package com.meltano.auth.account;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A local account. {@code id} is the opaque, stable {@code sub}; the email never is. */
@Entity
@Table(name = "app_user")
public class UserEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String email;

    @Column(name = "email_normalized", nullable = false, unique = true)
    public String emailNormalized;

    @Column(name = "email_verified", nullable = false)
    public boolean emailVerified;

    /** Argon2id PHC string; null for an account that signs in only through GitLab. */
    @Column(name = "password_hash")
    public String passwordHash;

    @Column(nullable = false)
    public boolean enabled = true;

    @Column(name = "password_changed_at")
    public Instant passwordChangedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Override
    public String toString() {
        return "User[" + id + "]"; // never the email or the hash
    }
}
