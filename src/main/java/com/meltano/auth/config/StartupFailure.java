package com.meltano.auth.config;

/**
 * A reason the server must not start, phrased as one line that names the variable to fix. The
 * launcher prints the message and exits with status 1; the message never contains a secret.
 */
public class StartupFailure extends RuntimeException {

    public StartupFailure(String message) {
        super(message, null, false, false);
    }

    public StartupFailure(String variable, String reason) {
        this(variable + ": " + reason);
    }
}
