package com.meltano.auth.oauth2.authorize;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Builds redirects back to the client (RFC 6749 section 4.1.2): parameters appended to the
 * registered URI's query, always with {@code iss} (RFC 9207) and the request's {@code state}.
 */
public final class AuthorizationResponses {

    private AuthorizationResponses() {
    }

    public static String success(String redirectUri, String code, String state, String issuer) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("code", code);
        p.put("state", state);
        p.put("iss", issuer);
        return append(redirectUri, p);
    }

    public static String error(String redirectUri, String error, String description, String state, String issuer) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("error", error);
        p.put("error_description", description);
        p.put("state", state);
        p.put("iss", issuer);
        return append(redirectUri, p);
    }

    /** Any other redirect with parameters (e.g. {@code state} after logout). */
    public static String withParams(String uri, Map<String, String> params) {
        return append(uri, params);
    }

    static String append(String uri, Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((k, v) -> {
            if (v != null) {
                query.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return uri + (uri.contains("?") ? "&" : "?") + query;
    }
}
