package com.meltano.auth.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * RFC 9110 section 15.5.6: a 405 names the methods the address does take in {@code Allow}, on
 * protocol endpoints, the admin API (with a parameter in the path) and pages alike.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MethodNotAllowedTest {

    @Test
    void protocolEndpointWhenWrongMethodThen405ListingTheMethodsItTakes() {
        Response put = given().put("/oauth2/token");
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.header("Allow")).isEqualTo("OPTIONS, POST");
        assertThat(put.jsonPath().getString("error")).isEqualTo("invalid_request");

        Response discovery = given().post("/.well-known/openid-configuration");
        assertThat(discovery.statusCode()).isEqualTo(405);
        assertThat(discovery.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");

        Response options = given().options("/oauth2/token");
        assertThat(options.header("Allow")).as("OPTIONS lists what a 405 lists: no HEAD where only POST is taken")
                .isEqualTo("OPTIONS, POST");
        assertThat(given().head("/oauth2/token").statusCode()).isEqualTo(405);
        assertThat(given().options("/.well-known/openid-configuration").header("Allow")).isEqualTo("GET, HEAD, OPTIONS");

        Response userinfo = given().delete("/userinfo");
        assertThat(userinfo.statusCode()).isEqualTo(405);
        assertThat(userinfo.header("Allow")).isEqualTo("GET, HEAD, OPTIONS, POST");
    }

    @Test
    void adminAddressWithAnIdWhenWrongMethodThen405ListingTheMethodsOfThatAddress() {
        Response put = Api.admin().contentType("application/json").body("{}").put("/admin/api/users/" + UUID.randomUUID());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.header("Allow")).isEqualTo("DELETE, GET, HEAD, OPTIONS, PATCH");
    }

    @Test
    void pageWhenWrongMethodThen405ListingTheMethodsItTakes() {
        Response delete = given().delete("/login");
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.header("Allow")).contains("GET", "POST");
        assertThat(delete.contentType()).startsWith("text/html");
    }
}
