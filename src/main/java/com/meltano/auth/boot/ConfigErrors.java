package com.meltano.auth.boot;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.smallrye.config.ConfigValidationException;

/** Turns a configuration conversion failure into one line naming the environment variable. */
final class ConfigErrors {

    private static final Pattern PROPERTY = Pattern.compile("meltano\\.[a-z0-9.\\-]+[a-z0-9]");

    private ConfigErrors() {
    }

    static String describe(ConfigValidationException e) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < e.getProblemCount(); i++) {
            String message = e.getProblem(i).getMessage();
            Matcher m = PROPERTY.matcher(message);
            String variable = m.find() ? envName(m.group()) : "configuration";
            if (lines.length() > 0) {
                lines.append(System.lineSeparator());
            }
            lines.append(variable).append(": has an invalid value (expected ").append(expectation(variable)).append(')');
        }
        return lines.toString();
    }

    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String expectation(String variable) {
        if (variable.endsWith("_TTL") || variable.endsWith("_PERIOD") || variable.endsWith("_RETENTION")) {
            return "an ISO-8601 duration such as PT10M or P30D";
        }
        return switch (variable) {
            case "MELTANO_AUTH_SIGNING_ALG" -> "RS256, ES256 or EdDSA";
            case "MELTANO_AUTH_REGISTRATION" -> "open or closed";
            case "MELTANO_AUTHENTICATION", "MELTANO_AUTH_REQUIRE_VERIFIED_EMAIL" -> "true or false";
            default -> "see the configuration table in README.md";
        };
    }
}
