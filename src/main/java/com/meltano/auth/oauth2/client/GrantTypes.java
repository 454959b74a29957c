package com.meltano.auth.oauth2.client;

import java.util.List;

/** Grant types a client may be registered for (no implicit, no password: RFC 9700 section 2.4). */
public final class GrantTypes {

    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String CLIENT_CREDENTIALS = "client_credentials";

    public static final List<String> SUPPORTED = List.of(AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS);

    public static final String BASIC = "client_secret_basic";
    public static final String POST = "client_secret_post";
    public static final String NONE = "none";

    public static final List<String> AUTH_METHODS = List.of(BASIC, POST, NONE);

    private GrantTypes() {
    }
}
