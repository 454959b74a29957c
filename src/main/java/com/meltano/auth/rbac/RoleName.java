package com.meltano.auth.rbac;

import java.util.regex.Pattern;

/** Role names: short, printable, no spaces or commas (they appear in tokens and in mappings). */
public final class RoleName {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    public static final String ADMIN = "admin";
    public static final String REGULAR = "regular";

    private RoleName() {
    }

    public static boolean isValid(String name) {
        return name != null && SHAPE.matcher(name).matches();
    }

    /** Permission types and contexts: 1 to 256 code points, no control characters. */
    public static boolean isValidPattern(String pattern) {
        return pattern != null && !pattern.isEmpty() && pattern.codePointCount(0, pattern.length()) <= 256
                && pattern.codePoints().noneMatch(Character::isISOControl);
    }
}
