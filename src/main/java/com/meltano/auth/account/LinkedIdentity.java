package com.meltano.auth.account;

/** A sign-in identity at another provider linked to the account (SPEC section 5a): GitLab's issuer and sub. */
public record LinkedIdentity(String provider, String issuer, String subject, String username) {
}
