package com.meltano.auth.admin;

import java.util.List;
import java.util.function.Function;

import com.meltano.auth.common.ServiceException;
/** A page of a list (SPEC section 9): {@code items} and the opaque {@code next_cursor}, null at the end. */
public record Page<T>(List<T> items, String nextCursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    /** Builds a page from {@code limit + 1} fetched rows: the extra row says whether there is more. */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, String> cursorOf) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(List.copyOf(items), cursorOf.apply(items.get(limit - 1)));
    }

    /**
     * The {@code limit} query parameter as given (taken as text, so that {@code abc} is a 400
     * naming it, where JAX-RS answers a query parameter it cannot convert with 404).
     */
    public static int limit(String requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        // at most four digits: always parses
        int n = requested.matches("[0-9]{1,4}") ? Integer.parseInt(requested) : -1;
        if (n < 1 || n > MAX_LIMIT) {
            throw ServiceException.invalid("limit", "must be a whole number between 1 and " + MAX_LIMIT);
        }
        return n;
    }
}
