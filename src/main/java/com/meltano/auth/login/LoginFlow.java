package com.meltano.auth.login;

import java.time.Instant;

import com.meltano.auth.oauth2.authorize.AuthorizationRequest;

/**
 * The pending authorization request while a person signs in (SPEC section 5), kept server-side and
 * referenced by an opaque cookie. {@code request} is null for a sign-in to the account page.
 */
public record LoginFlow(byte[] idHash, AuthorizationRequest request, String csrf, Instant expiresAt) {
}
