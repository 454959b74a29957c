package com.meltano.auth.oauth2.authorize;

import java.time.Instant;
import java.util.UUID;

/**
 * One authorization request while a person signs in (SPEC section 5), kept server-side: its public
 * {@code id} (in the page's URL), its {@code state}, the form token {@code csrf} of its pages, who
 * authenticated in it ({@code userId}, once someone did), and the email last typed into its forms.
 * {@code request} is null for a sign-in to the account page, or, with {@code returnTo}, to the admin
 * console page that asked for it.
 */
public record LoginFlow(byte[] idHash, String id, FlowState state, AuthorizationRequest request, String csrf,
        Instant expiresAt, UUID userId, String typedEmail, String returnTo) {

    public boolean forAccountPage() {
        return request == null;
    }

    /** Where the browser goes once signed in, for a flow of no application. */
    public String pageAfterSignIn() {
        return returnTo != null ? returnTo : FlowContinuation.ACCOUNT_PAGE;
    }

    @Override
    public String toString() {
        return "LoginFlow[" + state + "]"; // never the form token
    }
}
