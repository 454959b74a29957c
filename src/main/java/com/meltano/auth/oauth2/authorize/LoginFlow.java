package com.meltano.auth.oauth2.authorize;

import java.time.Instant;
import java.util.UUID;

/**
 * One authorization request while a person signs in (SPEC section 5), kept server-side: its public
 * {@code id} (in the page's URL), its {@code state}, the form token {@code csrf} of its pages, who
 * authenticated in it ({@code userId}, once someone did), and the email last typed into its forms.
 * {@code request} is null for a sign-in to the account page.
 */
public record LoginFlow(byte[] idHash, String id, FlowState state, AuthorizationRequest request, String csrf,
        Instant expiresAt, UUID userId, String typedEmail) {

    public boolean forAccountPage() {
        return request == null;
    }

    @Override
    public String toString() {
        return "LoginFlow[" + state + "]"; // never the form token
    }
}
