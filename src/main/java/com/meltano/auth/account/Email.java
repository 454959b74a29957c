package com.meltano.auth.account;

import java.util.Locale;

/**
 * An email address as the primary identity of a user: trimmed, and compared case-insensitively
 * through {@link #normalized()} (two accounts must never differ only by case).
 */
public record Email(String value) {

    private static final int MAX_LENGTH = 254; // RFC 5321 path limit

    public Email {
        value = value == null ? null : value.trim();
        if (!isValid(value)) {
            throw new IllegalArgumentException("is not an email address");
        }
    }

    /** Parses user input; the message of the exception never echoes the input. */
    public static Email parse(String raw) {
        return new Email(raw);
    }

    public String normalized() {
        return fold(value);
    }

    /**
     * An email, or the start of one, as typed (into a search, a confirmation), normalized as emails
     * are ({@link #normalized()}) without being checked as an address; null stays null.
     */
    public static String normalizeTyped(String typed) {
        return typed == null ? null : fold(typed.trim());
    }

    private static String fold(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * Deliberately simple, and no wider than mail can carry: one {@code @}; a local part without a
     * leading, trailing or doubled dot (RFC 5321's dot-string; quoted local parts are not taken); a
     * domain of non-empty dot-separated labels, none starting or ending with a hyphen; no spaces,
     * controls, invisible formatting characters (bidi overrides; the joiners IDNA allows excepted)
     * or the characters that delimit addresses in a header.
     */
    private static boolean isValid(String v) {
        if (v == null || v.isEmpty() || v.length() > MAX_LENGTH) {
            return false;
        }
        int at = v.lastIndexOf('@');
        if (at <= 0 || at == v.length() - 1 || v.indexOf('@') != at) {
            return false;
        }
        if (v.codePoints().anyMatch(Email::forbidden)) {
            return false;
        }
        String local = v.substring(0, at);
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        for (String label : v.substring(at + 1).split("\\.", -1)) {
            if (label.isEmpty() || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
        }
        return true;
    }

    private static boolean forbidden(int c) {
        return Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)
                || (Character.getType(c) == Character.FORMAT && c != '\u200C' && c != '\u200D')
                || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '(' || c == ')' || c == '\\';
    }

    @Override
    public String toString() {
        return value;
    }
}
