package com.meltano.auth.oauth2.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.meltano.auth.oauth2.token.TokenFixtures.Client;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.Es256ShortStaging;
import com.meltano.auth.support.PostgresTestResource;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@code MELTANO_AUTH_SIGNING_ALG=ES256}: access tokens are signed with P-256 (SPEC section 3). */
@QuarkusTest
@TestProfile(Es256ShortStaging.class)
@QuarkusTestResource(PostgresTestResource.class)
class SigningAlgEs256Test {

    @TestHTTPResource("/oauth2/jwks")
    URL jwks;

    @Test
    void tokenWhenSigningAlgEs256ThenHeaderEs256AndVerifiesAgainstPublishedP256Key() throws Exception {
        Client c = TokenFixtures.serviceClient(); // the admin API accepted the bootstrap client's ES256 token

        String token = Api.token(c.id(), c.secret(), null);

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        JWTClaimsSet claims = IndependentVerifier.processor(jwks, JWSAlgorithm.ES256, "http://localhost:8080").process(token, null);
        assertThat(claims.getSubject()).isEqualTo(c.id());
        assertThat(jwt.getPayload().toString()).contains("\"aud\":[\"meltano\"]");
        JWK key = JWKSet.parse(given().get("/oauth2/jwks").asString()).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).isInstanceOf(ECKey.class);
        assertThat(((ECKey) key).getCurve()).isEqualTo(Curve.P_256);
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(key.isPrivate()).isFalse();
    }

    @Test
    void jwksWhenSigningAlgEs256ThenStillPublishesRs256KeyForIdTokens() throws Exception {
        List<JWK> keys = JWKSet.parse(given().get("/oauth2/jwks").asString()).getKeys();

        assertThat(keys).anyMatch(k -> k.getKeyType() == KeyType.RSA && JWSAlgorithm.RS256.equals(k.getAlgorithm()));
        assertThat(keys).anyMatch(k -> k.getKeyType() == KeyType.EC && JWSAlgorithm.ES256.equals(k.getAlgorithm()));
        assertThat(keys).noneMatch(JWK::isPrivate);
    }

    @Test
    void tokenWhenVerifierExpectsRs256ThenEs256TokenRejected() throws Exception {
        Client c = TokenFixtures.serviceClient();
        String token = Api.token(c.id(), c.secret(), null);

        assertThatThrownBy(() -> IndependentVerifier.processor(jwks, JWSAlgorithm.RS256, "http://localhost:8080").process(token, null))
                .as("the token is what its header says, not an RS256 token")
                .isInstanceOf(com.nimbusds.jose.proc.BadJOSEException.class);
    }
}
