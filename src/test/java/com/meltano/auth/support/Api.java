package com.meltano.auth.support;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Small helpers to drive the running test server over real HTTP. */
public final class Api {

    /** How long {@link #admin()} reuses a token, against its 10 minutes of validity. */
    private static final Duration ADMIN_TOKEN_REUSE = Duration.ofMinutes(1);
    private static String reused;
    private static int reusedPort;
    private static long reusedUntil;

    private Api() {
    }

    /** An access token from {@code client_credentials} with Basic authentication. */
    public static String token(String clientId, String secret, String scope) {
        RequestSpecification r = given().auth().preemptive().basic(clientId, secret).formParam("grant_type", "client_credentials");
        if (scope != null) {
            r = r.formParam("scope", scope);
        }
        return r.post("/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    public static String adminToken() {
        return token(TestData.ADMIN_CLIENT_ID, TestData.ADMIN_CLIENT_SECRET, null);
    }

    /**
     * A request with the bootstrap admin client's token, as an admin script sends it: one token per
     * server reused for up to {@link #ADMIN_TOKEN_REUSE} (a tenth of its lifetime), not one
     * {@code client_credentials} grant per request. A test that needs a token issued now, or that
     * removes the key which signed earlier tokens, calls {@link #adminToken()} or
     * {@link #forgetAdminToken()}.
     */
    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + reusedAdminToken()).contentType(ContentType.JSON);
    }

    private static synchronized String reusedAdminToken() {
        long now = System.nanoTime();
        if (reused == null || reusedPort != RestAssured.port || now - reusedUntil >= 0) {
            reused = adminToken();
            reusedPort = RestAssured.port;
            reusedUntil = now + ADMIN_TOKEN_REUSE.toNanos();
        }
        return reused;
    }

    /** The next {@link #admin()} request gets a new token. */
    public static synchronized void forgetAdminToken() {
        reused = null;
    }

    /** Registers a confidential client_credentials client; returns {client_id, client_secret}. */
    public static Map<String, String> createServiceClient(List<String> roles, boolean adminApi) {
        Map<String, Object> body = Map.of("name", "test client", "redirect_uris", List.of(),
                "grant_types", List.of("client_credentials"), "roles", roles, "admin_api", adminApi);
        var response = admin().body(body).post("/admin/api/clients").then().statusCode(201).extract();
        return Map.of("client_id", response.path("client_id"), "client_secret", response.path("client_secret"));
    }
}
