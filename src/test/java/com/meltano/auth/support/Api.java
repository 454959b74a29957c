package com.meltano.auth.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Small helpers to drive the running test server over real HTTP. */
public final class Api {

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

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + adminToken()).contentType(ContentType.JSON);
    }

    /** Registers a confidential client_credentials client; returns {client_id, client_secret}. */
    public static Map<String, String> createServiceClient(List<String> roles, boolean adminApi) {
        Map<String, Object> body = Map.of("name", "test client", "redirect_uris", List.of(),
                "grant_types", List.of("client_credentials"), "roles", roles, "admin_api", adminApi);
        var response = admin().body(body).post("/admin/api/clients").then().statusCode(201).extract();
        return Map.of("client_id", response.path("client_id"), "client_secret", response.path("client_secret"));
    }
}
