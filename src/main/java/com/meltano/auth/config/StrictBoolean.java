package com.meltano.auth.config;

import java.util.Locale;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * {@code true} or {@code false}, nothing else (SPEC section 3: every variable is validated at
 * start). The framework's boolean reads anything it does not know, a typo such as {@code ture}
 * included, as {@code false}: for a switch that protects something that would silently turn the
 * protection off. A refused value surfaces as one start-up line naming the variable.
 */
public final class StrictBoolean implements Converter<Boolean> {

    private static final long serialVersionUID = 1L;

    @Override
    public Boolean convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return Boolean.TRUE;
        }
        if (v.equals("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("must be true or false"); // the value itself is never quoted
    }
}
