package com.meltano.auth.support;

/** Fixed credentials of the test server. Test-only values, never used elsewhere. */
public final class TestData {

    public static final String KEK = "q1Z3m0C4b3cU6Xn0wL8yJm9Rk2hTtV5sPa7dEe1fGgI=";
    public static final String ADMIN_CLIENT_ID = "bootstrap-admin";
    public static final String ADMIN_CLIENT_SECRET = "test-bootstrap-secret-0123456789abcdef-XYZ";
    public static final String ADMIN_EMAIL = "root@example.com";
    public static final String ADMIN_PASSWORD = "root-password-for-tests";

    private TestData() {
    }
}
