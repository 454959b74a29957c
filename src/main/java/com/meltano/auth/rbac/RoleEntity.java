package com.meltano.auth.rbac;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "role")
public class RoleEntity {

    @Id
    public String name;

    public String description;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
