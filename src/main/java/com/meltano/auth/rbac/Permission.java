package com.meltano.auth.rbac;

import java.util.Objects;

/**
 * One permission granted through a role: a type pattern (e.g. {@code view:design}, or {@code *})
 * and a context pattern (e.g. {@code finance.*}), both matched as in SPEC section 8.
 *
 * @param type the permission type pattern
 * @param context the context pattern
 */
public record Permission(String type, String context) {

    /**
     * @throws NullPointerException if {@code type} or {@code context} is null
     */
    public Permission {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(context, "context");
    }
}
