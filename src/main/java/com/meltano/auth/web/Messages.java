package com.meltano.auth.web;

/** Texts that several pages show the same way. */
public final class Messages {

    private Messages() {
    }

    /**
     * A throttled attempt (SPEC section 5) is told to wait and how long, the same way for a known and
     * an unknown email, and never that its password is wrong (it was not checked). {@code seconds}
     * comes from a query string, so anything but a plain number reads as 1.
     */
    public static String waitMessage(String seconds) {
        long s = seconds != null && seconds.matches("[1-9][0-9]{0,5}") ? Long.parseLong(seconds) : 1;
        return "Too many attempts. Wait " + s + (s == 1 ? " second" : " seconds") + ", then try again.";
    }
}
