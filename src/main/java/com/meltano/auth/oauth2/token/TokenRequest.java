package com.meltano.auth.oauth2.token;

import java.util.Map;

import com.meltano.auth.oauth2.OAuthError;

/**
 * A token request's form parameters (RFC 6749 section 3.2) after the edge checked that none is
 * repeated; an empty value counts as absent (section 3.1). Plus the caller's address.
 */
public record TokenRequest(Map<String, String> params, String authorization, String address) {

    public String param(String name) {
        String v = params.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public String required(String name) {
        String v = param(name);
        if (v == null) {
            throw OAuthError.invalidRequest("missing parameter: " + name);
        }
        return v;
    }

    @Override
    public String toString() {
        return "TokenRequest[grant_type=" + params.get("grant_type") + "]"; // never secrets
    }
}
