package com.meltano.auth.login;

import java.util.Base64;

import com.meltano.auth.common.OpaqueTokens;

/**
 * The form token of the pages that mailed links open (verify, reset, confirm a new email) and of
 * "Forgot password?": no session stands behind them, so the token is derived from the browser's
 * flow binding cookie ({@code SameSite=Lax}, so a cross-site POST carries none). A form posted from
 * another site, or from another browser, is refused: nobody can make a browser use a link, least
 * of all one that signs it in (login CSRF).
 */
final class LinkForms {

    private LinkForms() {
    }

    /** The form token for the browser whose binding is {@code binding}. */
    static String csrf(String binding) {
        byte[] digest = OpaqueTokens.hash("link-form:" + binding);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** Whether {@code posted} is the form token of the browser that posted it. */
    static boolean valid(String binding, String posted) {
        return binding != null && !binding.isEmpty() && OpaqueTokens.same(csrf(binding), posted);
    }

}
