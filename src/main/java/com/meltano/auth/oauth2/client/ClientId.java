package com.meltano.auth.oauth2.client;

import java.util.regex.Pattern;

/**
 * A registered client's identifier (SPEC section 7): {@code [A-Za-z0-9._-]{3,64}}, not shaped
 * like a UUID (user subjects are UUIDs, so a client could otherwise pose as a user in {@code sub}),
 * and never equal to an audience value (a token for the client must not read as one for the API).
 */
public record ClientId(String value) {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9._-]{3,64}");
    private static final Pattern UUID_SHAPE = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public ClientId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("must match [A-Za-z0-9._-]{3,64}");
        }
        if (UUID_SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("must not be shaped like a UUID");
        }
    }

    /** Validates against the configured audience too. */
    public static ClientId of(String value, String audience) {
        ClientId id = new ClientId(value);
        if (value.equals(audience)) {
            throw new IllegalArgumentException("must not equal the token audience");
        }
        return id;
    }

    @Override
    public String toString() {
        return value;
    }
}
