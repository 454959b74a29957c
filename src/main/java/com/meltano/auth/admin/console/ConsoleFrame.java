package com.meltano.auth.admin.console;

/**
 * What every console page shows around its content: who is signed in, the form token of every
 * form, which section of the navigation is current, and the notice left by the last form.
 */
public record ConsoleFrame(String email, String csrf, String section, ConsoleNotice notice) {

    public static ConsoleFrame of(ConsoleAdmin admin, String section, ConsoleNotice notice) {
        return new ConsoleFrame(admin.email(), admin.csrf(), section, notice);
    }
}
