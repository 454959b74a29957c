package com.meltano.auth.oauth2.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ClientCredentialsTokenTest {

    @Inject
    DataSource ds;

    @TestHTTPResource("/oauth2/jwks")
    URL jwks;

    @Test
    void clientCredentialsWhenServiceClientThenTokenVerifiesAgainstJwksWithRolesAndPermissions() throws Exception {
        Api.admin().body(Map.of("name", "analyst")).post("/admin/api/roles").then().statusCode(201);
        Api.admin().body(Map.of("type", "view:design", "context", "finance.*"))
                .post("/admin/api/roles/analyst/permissions").then().statusCode(201);
        Map<String, String> client = Api.createServiceClient(List.of("analyst"), false);

        String token = Api.token(client.get("client_id"), client.get("client_secret"), null);

        JWTClaimsSet claims = independentProcessor().process(token, null);
        assertThat(claims.getSubject()).isEqualTo(client.get("client_id"));
        assertThat(claims.getStringClaim("client_id")).isEqualTo(client.get("client_id"));
        assertThat(claims.getStringListClaim("roles")).containsExactly("analyst");
        assertThat(claims.getJSONObjectClaim("permissions")).isEqualTo(Map.of("view:design", List.of("finance.*")));
        assertThat(claims.getIssuer()).isEqualTo("http://localhost:8080");
        assertThat(claims.getJWTID()).isNotBlank();
        // RFC 9068 / SPEC 7: aud always an array, typ at+jwt, kid present
        String payload = SignedJWT.parse(token).getPayload().toString();
        assertThat(payload).contains("\"aud\":[\"meltano\"]");
        assertThat(SignedJWT.parse(token).getHeader().getType().getType()).isEqualTo("at+jwt");
        assertThat(SignedJWT.parse(token).getHeader().getKeyID()).isNotBlank();
        assertThat(claims.getClaim("auth_time")).isNull();
    }

    @Test
    void tokenResponseWhenIssuedThenNoStoreAndScopeAlwaysPresent() {
        Map<String, String> client = Api.createServiceClient(List.of(), false);
        given().auth().preemptive().basic(client.get("client_id"), client.get("client_secret"))
                .formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", org.hamcrest.Matchers.equalTo("Bearer"))
                .body("expires_in", org.hamcrest.Matchers.equalTo(600))
                .body("scope", org.hamcrest.Matchers.equalTo(""));
    }

    @Test
    void clientCredentialsWhenRepeatedThenOneGrantServesEveryToken() throws Exception {
        TokenFixtures.Client client = TokenFixtures.serviceClient();

        String first = Api.token(client.id(), client.secret(), null);
        String second = Api.token(client.id(), client.secret(), null);

        assertThat(grantOf(second)).isEqualTo(grantOf(first));
        assertThat(TokenFixtures.grants(ds, client.id())).isEqualTo(1);
    }

    @Test
    void clientCredentialsWhenGrantsRevokedBySecretRotationThenNextTokenNamesAnActiveGrant() throws Exception {
        TokenFixtures.Client client = TokenFixtures.serviceClient();
        String before = Api.token(client.id(), client.secret(), null); // its grant is now remembered
        assertThat(active(client.id(), client.secret(), before)).isTrue();

        // rotating the secret revokes every grant of the client (SPEC section 9)
        String secret = Api.admin().post("/admin/api/clients/" + client.id() + "/secret").then().statusCode(201)
                .extract().path("client_secret");
        String after = Api.token(client.id(), secret, null);

        assertThat(grantOf(after)).isNotEqualTo(grantOf(before));
        assertThat(active(client.id(), secret, before)).isFalse();
        assertThat(active(client.id(), secret, after)).isTrue();
    }

    /** RFC 7662 introspection by the client itself. */
    private static boolean active(String clientId, String secret, String token) {
        return given().auth().preemptive().basic(clientId, secret).formParam("token", token)
                .post("/oauth2/introspect").then().statusCode(200).extract().path("active");
    }

    /** The grant id a token names: the part of its {@code jti} before the dot. */
    private static String grantOf(String token) throws Exception {
        String jti = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        return jti.substring(0, jti.indexOf('.'));
    }

    private DefaultJWTProcessor<SecurityContext> independentProcessor() throws Exception {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwks).retrying(false).build();
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        return p;
    }
}
