package com.meltano.auth.admin.console;

import java.util.Map;

/**
 * What the page after a console form says (SPEC section 11: every POST is answered 303, so the
 * outcome travels to the next page): a success {@code message}, or an error next to the form field
 * at fault, named {@code form.field} ({@code form} alone for an error of the whole form), with what
 * was typed so that the form shows it again. Never holds a password or a secret.
 */
public record ConsoleNotice(boolean ok, String field, String message, Map<String, String> typed) {

    /** No notice: the page was not reached from a form. */
    public static final ConsoleNotice NONE = new ConsoleNotice(true, null, null, Map.of());

    public static ConsoleNotice success(String message) {
        return new ConsoleNotice(true, null, message, Map.of());
    }

    public static ConsoleNotice error(String field, String message, Map<String, String> typed) {
        return new ConsoleNotice(false, field, message, typed == null ? Map.of() : Map.copyOf(typed));
    }

    /** What was typed, as pairs of form field and value (null values left out), to show again after an error. */
    public static Map<String, String> echo(String... fieldsAndValues) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i + 1 < fieldsAndValues.length; i += 2) {
            if (fieldsAndValues[i + 1] != null) {
                m.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
            }
        }
        return m;
    }

    /** The success message to show at the top of the page, or null. */
    public String success() {
        return ok ? message : null;
    }

    /** The error message for {@code formField}, or null. */
    public String errorFor(String formField) {
        return !ok && formField.equals(field) ? message : null;
    }

    /** What was typed in {@code formField} before the error, or the empty string. */
    public String typed(String formField) {
        String v = typed.get(formField);
        return v == null ? "" : v;
    }
}
