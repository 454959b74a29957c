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

    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw ServiceException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }
}
