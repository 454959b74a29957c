package com.meltano.auth.rbac;

import java.time.Instant;

/** A role: a copy of its {@code role} row, read and written by {@link RbacRepository}. */
public class RoleEntity {

    public String name;

    public String description;

    public Instant createdAt;
}
