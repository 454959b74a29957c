package com.meltano.auth.oauth2;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 6749 sections 3.1 and 3.2: a parameter of the protocol may not be sent more than once, and
 * a parameter the server does not recognize is ignored, repeated or not (RFC 8707 clients send
 * {@code resource} several times). Only a name of this set is ever quoted in an error, so an
 * {@code error_description} never carries text a request chose.
 */
public final class ProtocolParameters {

    /** What the authorization, token, introspection and revocation endpoints read. */
    static final Set<String> RECOGNIZED = Set.of(
            "response_type", "response_mode", "client_id", "redirect_uri", "scope", "state", "nonce", "prompt", "max_age",
            "login_hint", "code_challenge", "code_challenge_method", "request", "request_uri",
            "grant_type", "code", "code_verifier", "refresh_token", "client_secret", "token", "token_type_hint");

    private ProtocolParameters() {
    }

    /** The first recognized parameter sent more than once, or null. */
    public static String repeated(Map<String, List<String>> params) {
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getValue().size() > 1 && RECOGNIZED.contains(e.getKey())) {
                return e.getKey();
            }
        }
        return null;
    }
}
