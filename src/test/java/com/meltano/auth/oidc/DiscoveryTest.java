package com.meltano.auth.oidc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.StreamSupport;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.oauth2.token.GrantHandler;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Authorization server metadata (RFC 8414 section 3, OIDC Discovery section 4) as SPEC section 4
 * lists it, byte for byte, at both well-known paths. The endpoints come from the endpoint classes'
 * announcements and the grant types from the grant handlers that exist.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class DiscoveryTest {

    private static final String ISSUER = "http://localhost:8080";

    static final String DOCUMENT = "{\"issuer\":\"" + ISSUER + "\","
            + "\"authorization_endpoint\":\"" + ISSUER + "/oauth2/authorize\","
            + "\"token_endpoint\":\"" + ISSUER + "/oauth2/token\","
            + "\"jwks_uri\":\"" + ISSUER + "/oauth2/jwks\","
            + "\"userinfo_endpoint\":\"" + ISSUER + "/userinfo\","
            + "\"revocation_endpoint\":\"" + ISSUER + "/oauth2/revoke\","
            + "\"introspection_endpoint\":\"" + ISSUER + "/oauth2/introspect\","
            + "\"end_session_endpoint\":\"" + ISSUER + "/logout\","
            + "\"grant_types_supported\":[\"authorization_code\",\"refresh_token\",\"client_credentials\"],"
            + "\"token_endpoint_auth_methods_supported\":[\"client_secret_basic\",\"client_secret_post\",\"none\"],"
            + "\"revocation_endpoint_auth_methods_supported\":[\"client_secret_basic\",\"client_secret_post\",\"none\"],"
            + "\"introspection_endpoint_auth_methods_supported\":[\"client_secret_basic\",\"client_secret_post\"],"
            + "\"code_challenge_methods_supported\":[\"S256\"],"
            + "\"response_modes_supported\":[\"query\"],"
            + "\"prompt_values_supported\":[\"none\",\"login\",\"consent\"],"
            + "\"authorization_response_iss_parameter_supported\":true,"
            + "\"scopes_supported\":[\"openid\",\"profile\",\"email\",\"offline_access\",\"admin\"],"
            + "\"response_types_supported\":[\"code\"],"
            + "\"subject_types_supported\":[\"public\",\"pairwise\"],"
            + "\"id_token_signing_alg_values_supported\":[\"RS256\"],"
            + "\"claims_supported\":[\"iss\",\"sub\",\"aud\",\"exp\",\"iat\",\"auth_time\",\"nonce\",\"at_hash\",\"sid\",\"azp\","
            + "\"email\",\"email_verified\",\"jti\",\"client_id\",\"scope\",\"roles\",\"permissions\"],"
            + "\"request_parameter_supported\":false,"
            + "\"request_uri_parameter_supported\":false}";

    @Inject
    Instance<GrantHandler> handlers;

    @Test
    void discoveryWhenFetchedAtEitherWellKnownPathThenExactlyTheDocumentOfSpecSection4() {
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            Response r = given().get(path);

            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.contentType()).as(path).startsWith("application/json");
            assertThat(r.header("Cache-Control")).as(path).isEqualTo("public, max-age=300");
            assertThat(r.asString()).as(path).isEqualTo(DOCUMENT);
        }
    }

    @Test
    void discoveryWhenGrantHandlersExistThenEachIsAnnouncedAndNothingElse() {
        List<String> existing = StreamSupport.stream(handlers.spliterator(), false).map(GrantHandler::grantType).toList();

        List<String> announced = given().get("/.well-known/openid-configuration").jsonPath().getList("grant_types_supported");

        assertThat(announced).containsExactlyInAnyOrderElementsOf(existing);
    }

    @Test
    void announcedEndpointsWhenCalledThenNoneIsMissing() {
        var metadata = given().get("/.well-known/openid-configuration").jsonPath();
        for (String name : List.of("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint",
                "revocation_endpoint", "introspection_endpoint", "end_session_endpoint")) {
            String path = metadata.getString(name).substring(ISSUER.length());

            assertThat(given().redirects().follow(false).get(path).statusCode()).as(name + " " + path).isNotEqualTo(404);
        }
    }
}
