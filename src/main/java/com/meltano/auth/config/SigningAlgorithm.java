package com.meltano.auth.config;

/** The JWS algorithms the server signs with (RFC 7518 section 3, RFC 8037 for EdDSA). */
public enum SigningAlgorithm {
    RS256, ES256, EdDSA;

    /** The {@code alg} header value, byte for byte. */
    public String jwsName() {
        return name();
    }
}
